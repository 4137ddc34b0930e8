#include "server/subjects.h"

#include "agency/peer_review.h"
#include "evidence/portfolio.h"
#include "store/store.h"

namespace cairn {

namespace {

const Person* StudentById(const Roster& roster, Id id) {
  const Person* p = roster.FindPerson(id);
  return p && p->role == PersonRole::kStudent ? p : nullptr;
}

const Person* StudentByRef(const Roster& roster, const std::string& ref) {
  const Person* p = roster.FindPersonBySourcedId(ref);
  return p && p->role == PersonRole::kStudent ? p : nullptr;
}

}  // namespace

std::optional<long long> PathNumber(const std::map<std::string, std::string>& params,
                                    const std::string& name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  const std::string& text = it->second;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

Result<Subject> ResolveSubject(const std::map<std::string, std::string>& params, Owner owner,
                               const nlohmann::json& body, const Roster& roster, Store& store) {
  Subject subject;
  if (auto it = params.find("section"); it != params.end()) {
    for (const Section& s : roster.sections) {
      if (s.sourced_id == it->second) subject.section = &s;
    }
  }
  if (auto it = params.find("school"); it != params.end()) {
    for (const School& s : roster.schools) {
      if (s.sourced_id == it->second) subject.school = &s;
    }
  }
  if (auto it = params.find("district"); it != params.end()) {
    for (const District& d : roster.districts) {
      if (d.sourced_id == it->second) subject.district = &d;
    }
  }
  // At most one of these names a student's record in any route.
  if (auto it = params.find("student"); it != params.end()) {
    subject.student = StudentByRef(roster, it->second);
  } else if (params.count("review")) {
    // A peer review is its reviewer's to read and answer (the author's side
    // reads it through the submission).
    std::vector<Id> districts;
    for (const District& d : roster.districts) districts.push_back(d.id);
    CAIRN_ASSIGN_OR_RETURN(auto found, FindPeerReview(store, districts, params.at("review")));
    if (found) subject.student = StudentById(roster, found->review.reviewer);
  } else if (params.count("submission")) {
    if (auto id = PathNumber(params, "submission")) {
      CAIRN_ASSIGN_OR_RETURN(auto record, store.LoadSubmission(*id));
      if (record) {
        subject.student = StudentById(roster, record->submission.student_id);
        subject.hidden_from_guardians = !FoldSubmission(*record).shared_with_guardians;
      }
    }
  } else if (params.count("credential")) {
    CAIRN_ASSIGN_OR_RETURN(auto credential, store.FindCredential(params.at("credential")));
    if (credential) subject.student = StudentById(roster, credential->student_id);
  } else if (params.count("artifact") && !params.count("calibration")) {
    // (A calibration item's file is the calibration's, anonymized: its
    // handler checks the rater.)
    if (auto id = PathNumber(params, "artifact")) {
      CAIRN_ASSIGN_OR_RETURN(auto artifact, store.FindArtifact(*id));
      if (artifact) subject.student = StudentById(roster, artifact->student_id);
    }
  } else if (params.count("rating")) {
    if (auto id = PathNumber(params, "rating")) {
      CAIRN_ASSIGN_OR_RETURN(auto rating, store.FindRating(*id));
      if (rating) subject.student = StudentById(roster, rating->student_id);
    }
  } else if (owner == Owner::kBodyStudent) {
    auto named = body.is_object() ? body.find("student") : body.end();
    if (!body.is_object() || named == body.end() || !named->is_string() ||
        named->get_ref<const std::string&>().empty()) {
      return Status::InvalidField("student", "required, the id of the student the record is for");
    }
    subject.student = StudentByRef(roster, named->get<std::string>());
  }
  return subject;
}

}  // namespace cairn
