// A Store that forwards to another and injects faults, for testing the
// paths real databases take rarely: the Nth write fails, COMMIT fails (the
// transaction rolls back whole), or every write answers "database is
// locked"; it also counts credential rows read. Test support only;
// forwarding methods follow store.h one for one (a new Store method that is
// not added here fails to compile).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace cairn {

struct FaultPlan {
  std::atomic<int> fail_write_number{0};  // the Nth write from now fails (0: none)
  std::atomic<bool> fail_commits{false};  // every outermost commit fails
  std::atomic<bool> busy{false};          // every write answers "database is locked"
  std::atomic<int> writes_seen{0};
  std::atomic<int> faults_injected{0};
  // Whole credentials read through Credentials(), for tests that pin how
  // much a path reads (issuing must not read the district's, issue #12).
  std::atomic<std::int64_t> credential_rows_read{0};
};

class FaultyStore final : public Store {
 public:
  FaultyStore(std::unique_ptr<Store> inner, std::shared_ptr<FaultPlan> plan)
      : inner_(std::move(inner)), plan_(std::move(plan)) {}

  Status Transact(const std::function<Status()>& body) override {
    const bool outermost = !inner_->InTransaction();
    bool committed_body = false;
    Status status = inner_->Transact([&]() -> Status {
      Status s = body();
      if (!s.ok()) return s;
      committed_body = true;
      // A failed COMMIT leaves nothing: roll back instead of committing.
      if (outermost && plan_->fail_commits.load()) {
        ++plan_->faults_injected;
        return Status::Internal("COMMIT failed (injected)");
      }
      return s;
    });
    (void)committed_body;
    return status;
  }
  bool InTransaction() const override { return inner_->InTransaction(); }
  Status SetCheckpointPages(int pages) override { return inner_->SetCheckpointPages(pages); }
  Status Checkpoint() override { return inner_->Checkpoint(); }

  Result<std::int64_t> AddCatalogVersion(const CatalogVersion& version) override {
    if (Status s = MaybeFail("AddCatalogVersion"); !s.ok()) return s;
    return inner_->AddCatalogVersion(version);
  }
  Result<std::optional<CatalogVersion>> LatestCatalog() override { return inner_->LatestCatalog(); }
  Status PutSetting(std::string_view key, std::string_view value) override {
    if (Status s = MaybeFail("PutSetting"); !s.ok()) return s;
    return inner_->PutSetting(key, value);
  }
  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    return inner_->GetSetting(key);
  }
  Result<FactId> AppendRating(const RatingFact& fact) override {
    if (Status s = MaybeFail("AppendRating"); !s.ok()) return s;
    return inner_->AppendRating(fact);
  }
  Result<FactId> AppendVoid(const VoidFact& fact) override {
    if (Status s = MaybeFail("AppendVoid"); !s.ok()) return s;
    return inner_->AppendVoid(fact);
  }
  Result<FactId> AppendHabit(const HabitFact& fact) override {
    if (Status s = MaybeFail("AppendHabit"); !s.ok()) return s;
    return inner_->AppendHabit(fact);
  }
  Result<FactId> AppendAward(const AwardFact& fact) override {
    if (Status s = MaybeFail("AppendAward"); !s.ok()) return s;
    return inner_->AppendAward(fact);
  }
  Result<std::optional<RatingFact>> FindRating(FactId id) override {
    return inner_->FindRating(id);
  }
  Status ForEachRating(std::optional<Id> student,
                       const std::function<void(const RatingFact&)>& fn) override {
    return inner_->ForEachRating(student, fn);
  }
  Result<std::vector<VoidFact>> Voids(std::optional<Id> student) override {
    return inner_->Voids(student);
  }
  Result<std::vector<HabitFact>> Habits(std::optional<Id> student) override {
    return inner_->Habits(student);
  }
  Result<std::vector<AwardFact>> Awards(std::optional<Id> student) override {
    return inner_->Awards(student);
  }
  Result<std::vector<RatingFact>> RatingsAfter(FactId after) override {
    return inner_->RatingsAfter(after);
  }
  Result<std::vector<VoidFact>> VoidsAfter(FactId after) override {
    return inner_->VoidsAfter(after);
  }
  Result<std::vector<AwardFact>> AwardsAfter(FactId after) override {
    return inner_->AwardsAfter(after);
  }
  Result<std::int64_t> LatestCatalogId() override { return inner_->LatestCatalogId(); }
  Result<std::vector<HabitFact>> HabitsAfter(FactId after) override {
    return inner_->HabitsAfter(after);
  }
  Result<ChangeMarks> Marks() override { return inner_->Marks(); }
  Result<Id> InsertDistrict(const District& district) override {
    if (Status s = MaybeFail("InsertDistrict"); !s.ok()) return s;
    return inner_->InsertDistrict(district);
  }
  Result<Id> InsertSchool(const School& school) override {
    if (Status s = MaybeFail("InsertSchool"); !s.ok()) return s;
    return inner_->InsertSchool(school);
  }
  Result<Id> InsertCourse(const Course& course) override {
    if (Status s = MaybeFail("InsertCourse"); !s.ok()) return s;
    return inner_->InsertCourse(course);
  }
  Result<Id> InsertSection(const Section& section) override {
    if (Status s = MaybeFail("InsertSection"); !s.ok()) return s;
    return inner_->InsertSection(section);
  }
  Result<Id> InsertPerson(const Person& person) override {
    if (Status s = MaybeFail("InsertPerson"); !s.ok()) return s;
    return inner_->InsertPerson(person);
  }
  Status InsertEnrollment(const Enrollment& enrollment) override {
    if (Status s = MaybeFail("InsertEnrollment"); !s.ok()) return s;
    return inner_->InsertEnrollment(enrollment);
  }
  Status InsertGuardianLink(const GuardianLink& link) override {
    if (Status s = MaybeFail("InsertGuardianLink"); !s.ok()) return s;
    return inner_->InsertGuardianLink(link);
  }
  Result<Roster> LoadRoster() override { return inner_->LoadRoster(); }
  Result<std::optional<Person>> FindPerson(std::string_view sourced_id) override {
    return inner_->FindPerson(sourced_id);
  }
  Status SetPersonRole(Id person, PersonRole role) override {
    if (Status s = MaybeFail("SetPersonRole"); !s.ok()) return s;
    return inner_->SetPersonRole(person, role);
  }
  Status SetSectionBadges(Id section, const std::vector<std::string>& badges) override {
    if (Status s = MaybeFail("SetSectionBadges"); !s.ok()) return s;
    return inner_->SetSectionBadges(section, badges);
  }
  Status ApplyRosterChanges(const RosterChangeSet& changes) override {
    if (Status s = MaybeFail("ApplyRosterChanges"); !s.ok()) return s;
    return inner_->ApplyRosterChanges(changes);
  }
  Result<Id> InsertAccount(const Account& account) override {
    if (Status s = MaybeFail("InsertAccount"); !s.ok()) return s;
    return inner_->InsertAccount(account);
  }
  Result<std::optional<Account>> FindAccountByUsername(std::string_view username) override {
    return inner_->FindAccountByUsername(username);
  }
  Result<std::optional<Account>> FindAccount(Id id) override { return inner_->FindAccount(id); }
  Result<std::vector<Account>> Accounts() override { return inner_->Accounts(); }
  Status SetPasswordHash(Id account, std::string_view hash) override {
    if (Status s = MaybeFail("SetPasswordHash"); !s.ok()) return s;
    return inner_->SetPasswordHash(account, hash);
  }
  Status SetAccountDisabled(Id account, bool disabled) override {
    if (Status s = MaybeFail("SetAccountDisabled"); !s.ok()) return s;
    return inner_->SetAccountDisabled(account, disabled);
  }
  Status InsertSession(const Session& session) override {
    if (Status s = MaybeFail("InsertSession"); !s.ok()) return s;
    return inner_->InsertSession(session);
  }
  Result<std::optional<Session>> FindSession(std::string_view token_hash) override {
    return inner_->FindSession(token_hash);
  }
  Status DeleteSession(std::string_view token_hash) override {
    if (Status s = MaybeFail("DeleteSession"); !s.ok()) return s;
    return inner_->DeleteSession(token_hash);
  }
  Status DeleteSessionsOf(Id account) override {
    if (Status s = MaybeFail("DeleteSessionsOf"); !s.ok()) return s;
    return inner_->DeleteSessionsOf(account);
  }
  Result<Id> InsertApiToken(const ApiToken& token) override {
    if (Status s = MaybeFail("InsertApiToken"); !s.ok()) return s;
    return inner_->InsertApiToken(token);
  }
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override {
    return inner_->FindApiToken(token_hash);
  }
  Result<std::vector<ApiToken>> ApiTokensOf(Id account) override {
    return inner_->ApiTokensOf(account);
  }
  Status RevokeApiToken(Id token, Instant at) override {
    if (Status s = MaybeFail("RevokeApiToken"); !s.ok()) return s;
    return inner_->RevokeApiToken(token, at);
  }
  Result<Id> InsertInvitation(const Invitation& invitation) override {
    if (Status s = MaybeFail("InsertInvitation"); !s.ok()) return s;
    return inner_->InsertInvitation(invitation);
  }
  Result<std::optional<Invitation>> FindInvitation(std::string_view token_hash) override {
    return inner_->FindInvitation(token_hash);
  }
  Result<std::vector<Invitation>> Invitations() override { return inner_->Invitations(); }
  Status CloseInvitation(Id invitation, Instant at, bool used) override {
    if (Status s = MaybeFail("CloseInvitation"); !s.ok()) return s;
    return inner_->CloseInvitation(invitation, at, used);
  }
  Result<LoginAttempt> BeginLoginAttempt(std::string_view username, std::string_view address,
                                         Instant now, const LoginLimits& limits) override {
    if (Status s = MaybeFail("BeginLoginAttempt"); !s.ok()) return s;
    return inner_->BeginLoginAttempt(username, address, now, limits);
  }
  Status FinishLoginAttempt(const LoginAttempt& attempt, bool succeeded, std::string_view username,
                            std::string_view address, Instant now) override {
    if (Status s = MaybeFail("FinishLoginAttempt"); !s.ok()) return s;
    return inner_->FinishLoginAttempt(attempt, succeeded, username, address, now);
  }
  using AccessStore::AppendAudit;
  Status AppendAudit(std::span<const AuditEntry> entries) override {
    if (Status s = MaybeFail("AppendAudit"); !s.ok()) return s;
    return inner_->AppendAudit(entries);
  }
  Result<std::vector<AuditEntry>> Audit(std::optional<Id> student, int limit) override {
    return inner_->Audit(student, limit);
  }
  Result<Id> InsertArtifact(const Artifact& artifact) override {
    if (Status s = MaybeFail("InsertArtifact"); !s.ok()) return s;
    return inner_->InsertArtifact(artifact);
  }
  Result<std::optional<Artifact>> FindArtifact(Id id) override { return inner_->FindArtifact(id); }
  Result<std::int64_t> ArtifactBytes(Id student) override { return inner_->ArtifactBytes(student); }
  Result<bool> BlobReferenced(std::string_view sha256) override {
    return inner_->BlobReferenced(sha256);
  }
  Result<Id> InsertSubmission(const Submission& submission) override {
    if (Status s = MaybeFail("InsertSubmission"); !s.ok()) return s;
    return inner_->InsertSubmission(submission);
  }
  Result<Id> AppendSubmissionVersion(const SubmissionVersion& version) override {
    if (Status s = MaybeFail("AppendSubmissionVersion"); !s.ok()) return s;
    return inner_->AppendSubmissionVersion(version);
  }
  Result<Id> AppendPortfolioEvent(const PortfolioEvent& event) override {
    if (Status s = MaybeFail("AppendPortfolioEvent"); !s.ok()) return s;
    return inner_->AppendPortfolioEvent(event);
  }
  Result<std::optional<SubmissionRecord>> LoadSubmission(Id id) override {
    return inner_->LoadSubmission(id);
  }
  Result<std::vector<SubmissionRecord>> LoadSubmissions(std::optional<Id> student) override {
    return inner_->LoadSubmissions(student);
  }
  Result<std::optional<Id>> SubmissionOfVersion(Id version_id) override {
    return inner_->SubmissionOfVersion(version_id);
  }
  Result<Id> InsertCalibrationSession(const CalibrationSession& session) override {
    if (Status s = MaybeFail("InsertCalibrationSession"); !s.ok()) return s;
    return inner_->InsertCalibrationSession(session);
  }
  Result<Id> AppendCalibrationEvent(const CalibrationEvent& event) override {
    if (Status s = MaybeFail("AppendCalibrationEvent"); !s.ok()) return s;
    return inner_->AppendCalibrationEvent(event);
  }
  Result<std::optional<CalibrationRecord>> LoadCalibration(Id id) override {
    return inner_->LoadCalibration(id);
  }
  Result<std::vector<CalibrationRecord>> LoadCalibrations() override {
    return inner_->LoadCalibrations();
  }
  Status PutIssuerProfile(const IssuerProfile& profile) override {
    if (Status s = MaybeFail("PutIssuerProfile"); !s.ok()) return s;
    return inner_->PutIssuerProfile(profile);
  }
  Result<std::optional<IssuerProfile>> FindIssuerProfile(Id district) override {
    return inner_->FindIssuerProfile(district);
  }
  Result<Id> InsertSigningKey(const StoredKey& key) override {
    if (Status s = MaybeFail("InsertSigningKey"); !s.ok()) return s;
    return inner_->InsertSigningKey(key);
  }
  Status RetireSigningKey(Id key, Instant at) override {
    if (Status s = MaybeFail("RetireSigningKey"); !s.ok()) return s;
    return inner_->RetireSigningKey(key, at);
  }
  Result<std::vector<StoredKey>> SigningKeys(Id district) override {
    return inner_->SigningKeys(district);
  }
  Result<Id> InsertCredential(const IssuedCredential& credential) override {
    if (Status s = MaybeFail("InsertCredential"); !s.ok()) return s;
    return inner_->InsertCredential(credential);
  }
  Result<std::optional<IssuedCredential>> FindCredential(std::string_view uuid) override {
    return inner_->FindCredential(uuid);
  }
  Result<std::vector<IssuedCredential>> Credentials(std::optional<Id> student,
                                                    std::optional<Id> district) override {
    auto rows = inner_->Credentials(student, district);
    if (rows.ok()) plan_->credential_rows_read += static_cast<std::int64_t>(rows->size());
    return rows;
  }
  Result<std::vector<FactId>> CredentialAwardIds(Id student) override {
    return inner_->CredentialAwardIds(student);
  }
  Result<StatusListFill> NewestStatusList(Id district) override {
    return inner_->NewestStatusList(district);
  }
  Result<bool> StatusSlotTaken(Id district, int list, std::int64_t index) override {
    return inner_->StatusSlotTaken(district, list, index);
  }
  Result<std::vector<RevokedCredential>> RevokedCredentials(Id district,
                                                            std::optional<int> list) override {
    return inner_->RevokedCredentials(district, list);
  }
  Status AppendCredentialShare(Id credential, bool is_public, Id actor, Instant at) override {
    if (Status s = MaybeFail("AppendCredentialShare"); !s.ok()) return s;
    return inner_->AppendCredentialShare(credential, is_public, actor, at);
  }
  Result<bool> CredentialIsPublic(Id credential) override {
    return inner_->CredentialIsPublic(credential);
  }
  Result<Id> InsertCaseFramework(const CaseFrameworkRecord& framework,
                                 const std::vector<CaseItemRecord>& items,
                                 const std::vector<CaseAssociationRecord>& associations) override {
    if (Status s = MaybeFail("InsertCaseFramework"); !s.ok()) return s;
    return inner_->InsertCaseFramework(framework, items, associations);
  }
  Result<std::vector<CaseFrameworkRecord>> CaseFrameworks() override {
    return inner_->CaseFrameworks();
  }
  Result<std::optional<CaseFrameworkRecord>> FindCaseFramework(Id id) override {
    return inner_->FindCaseFramework(id);
  }
  Result<std::vector<CaseItemRecord>> CaseItems(Id framework) override {
    return inner_->CaseItems(framework);
  }
  Result<std::vector<CaseAssociationRecord>> CaseAssociations(Id framework) override {
    return inner_->CaseAssociations(framework);
  }
  Result<std::optional<CurrentCaseItem>> FindCurrentCaseItem(std::string_view identifier) override {
    return inner_->FindCurrentCaseItem(identifier);
  }
  Status AppendCrosswalkFacts(const std::vector<CrosswalkFact>& facts) override {
    if (Status s = MaybeFail("AppendCrosswalkFacts"); !s.ok()) return s;
    return inner_->AppendCrosswalkFacts(facts);
  }
  Result<std::vector<CrosswalkFact>> CurrentCrosswalk(std::optional<std::string> cpe) override {
    return inner_->CurrentCrosswalk(std::move(cpe));
  }
  Result<std::vector<CrosswalkFact>> CrosswalkHistory(std::optional<std::string> cpe) override {
    return inner_->CrosswalkHistory(std::move(cpe));
  }
  Status SetCourseBadges(Id course, const std::vector<std::string>& badges) override {
    if (Status s = MaybeFail("SetCourseBadges"); !s.ok()) return s;
    return inner_->SetCourseBadges(course, badges);
  }
  Result<std::vector<std::string>> CourseBadges(Id course) override {
    return inner_->CourseBadges(course);
  }
  Status AddCourseBadgesToSections(const std::vector<std::string>& sections) override {
    if (Status s = MaybeFail("AddCourseBadgesToSections"); !s.ok()) return s;
    return inner_->AddCourseBadgesToSections(sections);
  }
  Result<Id> InsertCurriculumResource(const CurriculumResource& resource) override {
    if (Status s = MaybeFail("InsertCurriculumResource"); !s.ok()) return s;
    return inner_->InsertCurriculumResource(resource);
  }
  Status RetireCurriculumResource(Id resource, Id by, Instant at) override {
    if (Status s = MaybeFail("RetireCurriculumResource"); !s.ok()) return s;
    return inner_->RetireCurriculumResource(resource, by, at);
  }
  Result<std::optional<CurriculumResource>> FindCurriculumResource(Id resource) override {
    return inner_->FindCurriculumResource(resource);
  }
  Result<std::vector<CurriculumResource>> CurriculumResources(
      const std::vector<std::string>& cpes) override {
    return inner_->CurriculumResources(cpes);
  }
  Result<std::vector<Id>> InsertAssessmentItems(const std::vector<AssessmentItem>& items) override {
    if (Status s = MaybeFail("InsertAssessmentItems"); !s.ok()) return s;
    return inner_->InsertAssessmentItems(items);
  }
  Status RetireAssessmentItem(Id item, Id by, Instant at) override {
    if (Status s = MaybeFail("RetireAssessmentItem"); !s.ok()) return s;
    return inner_->RetireAssessmentItem(item, by, at);
  }
  Result<std::optional<AssessmentItem>> FindAssessmentItem(Id item) override {
    return inner_->FindAssessmentItem(item);
  }
  Result<std::vector<AssessmentItem>> AssessmentItems(std::string_view badge) override {
    return inner_->AssessmentItems(badge);
  }
  Result<std::vector<Id>> AppendJournal(const std::vector<JournalEntry>& entries) override {
    if (Status s = MaybeFail("AppendJournal"); !s.ok()) return s;
    return inner_->AppendJournal(entries);
  }
  Result<std::vector<JournalEntry>> Journal(Id district, std::string_view stream,
                                            std::optional<std::string_view> key) override {
    return inner_->Journal(district, stream, key);
  }
  Result<std::vector<JournalEntry>> JournalLatest(Id district, std::string_view stream) override {
    return inner_->JournalLatest(district, stream);
  }
  Result<std::vector<JournalEntry>> StudentJournal(Id student, std::string_view stream) override {
    return inner_->StudentJournal(student, stream);
  }
  Result<int> AddNotifications(const std::vector<StoredNotification>& notifications) override {
    if (Status s = MaybeFail("AddNotifications"); !s.ok()) return s;
    return inner_->AddNotifications(notifications);
  }
  Result<std::vector<StoredNotification>> NotificationsFor(Id recipient, int limit) override {
    return inner_->NotificationsFor(recipient, limit);
  }
  Result<std::vector<StoredNotification>> NotificationsAwaiting(
      Id after, const std::vector<std::string>& final_steps,
      std::optional<std::string_view> required_step, int limit) override {
    return inner_->NotificationsAwaiting(after, final_steps, required_step, limit);
  }
  Result<std::vector<DeliveryStep>> DeliverySteps(const std::vector<Id>& notifications) override {
    return inner_->DeliverySteps(notifications);
  }
  Status AppendDeliverySteps(const std::vector<DeliveryStep>& steps) override {
    if (Status s = MaybeFail("AppendDeliverySteps"); !s.ok()) return s;
    return inner_->AppendDeliverySteps(steps);
  }
  Result<std::map<std::string, Id>> NotifierMarks() override { return inner_->NotifierMarks(); }
  Status PutNotifierMarks(const std::map<std::string, Id>& marks) override {
    if (Status s = MaybeFail("PutNotifierMarks"); !s.ok()) return s;
    return inner_->PutNotifierMarks(marks);
  }
  Result<std::vector<std::pair<PortfolioEvent, Id>>> PortfolioEventsAfter(Id after,
                                                                          int limit) override {
    return inner_->PortfolioEventsAfter(after, limit);
  }

 private:
  Status MaybeFail(const char* what) {
    const int n = ++plan_->writes_seen;
    if (plan_->busy.load()) {
      ++plan_->faults_injected;
      return Status::Unavailable(std::string(what) + ": database is locked (injected)");
    }
    int target = plan_->fail_write_number.load();
    if (target > 0 && n >= target && plan_->fail_write_number.compare_exchange_strong(target, 0)) {
      ++plan_->faults_injected;
      return Status::Internal(std::string(what) + ": write failed (injected)");
    }
    return Status::Ok();
  }

  std::unique_ptr<Store> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

}  // namespace cairn
