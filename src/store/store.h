// Storage behind one interface. SQLite (sqlite_store.h) is the embedded
// default; a PostgreSQL engine will implement the same interface and pass the
// same tests (store_test.cpp runs against every engine it is given).
//
// Contract for every implementation:
// - Facts (ratings, voids, habits, awards, catalog versions) are append-only:
//   there is no update or delete, and the schema itself refuses them.
// - Every public write is atomic. Transact() groups several writes into one
//   transaction; a nested call is a savepoint: its failure undoes only its
//   own writes, and everything commits or rolls back with the outer call.
// - Errors are values: a duplicate sourced id is kAlreadyExists, an unknown
//   reference kNotFound or kInvalidArgument, and nothing is written.
// - Not thread-safe: one Store per thread (a server opens one per worker).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "evidence/calibration.h"
#include "evidence/facts.h"
#include "evidence/portfolio.h"
#include "roster/roster.h"
#include "store/accounts.h"
#include "store/alignment_store.h"
#include "store/credential_records.h"
#include "store/journal_store.h"
#include "store/notification_store.h"
#include "store/roster_change_set.h"
#include "store/standards_store.h"
#include "store/transactional.h"

namespace cairn {

struct CatalogVersion {
  std::int64_t id = 0;
  Instant loaded_at = 0;
  std::string source;
  std::string body;  // the catalog JSON as loaded
};

// The newest id of each append-only table and a counter bumped by every
// roster or settings change: equal marks mean nothing changed.
struct ChangeMarks {
  FactId rating = 0, void_fact = 0, award = 0, habit = 0;
  std::int64_t catalog = 0, roster = 0, settings = 0;
  std::int64_t access = 0;  // sessions ended, accounts changed, tokens revoked
  bool operator==(const ChangeMarks&) const = default;
};

// The ledger: catalog versions, settings and the append-only facts.
class LedgerStore : public virtual Transactional {
 public:
  // Catalog: each load is a new version; the latest is in force.
  virtual Result<std::int64_t> AddCatalogVersion(const CatalogVersion& version) = 0;
  virtual Result<std::optional<CatalogVersion>> LatestCatalog() = 0;

  // District-wide settings ("auto_award", "calculation"): configuration, not
  // facts, so they may be replaced.
  virtual Status PutSetting(std::string_view key, std::string_view value) = 0;
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;

  // Facts. Append* return the new fact id.
  virtual Result<FactId> AppendRating(const RatingFact& fact) = 0;
  virtual Result<FactId> AppendVoid(const VoidFact& fact) = 0;
  virtual Result<FactId> AppendHabit(const HabitFact& fact) = 0;
  virtual Result<FactId> AppendAward(const AwardFact& fact) = 0;

  virtual Result<std::optional<RatingFact>> FindRating(FactId id) = 0;
  // Reads for one student, or everyone when `student` is empty, in fact id
  // order. Ratings stream: a state-wide ledger does not fit a vector twice.
  virtual Status ForEachRating(std::optional<Id> student,
                               const std::function<void(const RatingFact&)>& fn) = 0;
  virtual Result<std::vector<VoidFact>> Voids(std::optional<Id> student) = 0;
  virtual Result<std::vector<HabitFact>> Habits(std::optional<Id> student) = 0;
  virtual Result<std::vector<AwardFact>> Awards(std::optional<Id> student) = 0;
  // The highest fact id of each kind, so a cache can tail the ledger.
  virtual Result<std::vector<RatingFact>> RatingsAfter(FactId after) = 0;
  virtual Result<std::vector<VoidFact>> VoidsAfter(FactId after) = 0;
  virtual Result<std::vector<AwardFact>> AwardsAfter(FactId after) = 0;
  virtual Result<std::int64_t> LatestCatalogId() = 0;  // 0 when none
  virtual Result<std::vector<HabitFact>> HabitsAfter(FactId after) = 0;
  // One cheap read that tells a cache whether anything changed.
  virtual Result<ChangeMarks> Marks() = 0;
};

// Districts, schools, courses, sections, people, enrollments, guardians.
class RosterStore : public virtual Transactional {
 public:
  // Roster writes return the new internal id.
  virtual Result<Id> InsertDistrict(const District& district) = 0;
  virtual Result<Id> InsertSchool(const School& school) = 0;
  virtual Result<Id> InsertCourse(const Course& course) = 0;
  virtual Result<Id> InsertSection(const Section& section) = 0;  // with its badges
  virtual Result<Id> InsertPerson(const Person& person) = 0;
  virtual Status InsertEnrollment(const Enrollment& enrollment) = 0;
  virtual Status InsertGuardianLink(const GuardianLink& link) = 0;
  virtual Result<Roster> LoadRoster() = 0;  // indexed
  // The same without its enrollments, which go to `each` one at a time as
  // they are read (the OneRoster import: a million stored enrollments are
  // not held as a vector of strings). Indexed; no enrollment indexes.
  virtual Result<Roster> LoadRosterWithoutEnrollments(
      const std::function<void(const Enrollment&)>& each) {
    CAIRN_ASSIGN_OR_RETURN(Roster roster, LoadRoster());
    for (const Enrollment& e : roster.enrollments) each(e);
    roster.enrollments.clear();
    roster.Index();
    return roster;
  }
  virtual Result<std::optional<Person>> FindPerson(std::string_view sourced_id) = 0;
  // Roles are roster configuration: an admin may move staff between roles.
  virtual Status SetPersonRole(Id person, PersonRole role) = 0;
  // Which badges a section works on (configuration, not a fact: replaced
  // whole). kNotFound for an unknown section.
  virtual Status SetSectionBadges(Id section, const std::vector<std::string>& badges) = 0;
  // A course's default badges, the ones a new section of it starts with
  // (configuration: replaced whole; existing sections keep theirs).
  // kNotFound for an unknown course.
  virtual Status SetCourseBadges(Id course, const std::vector<std::string>& badges) = 0;
  virtual Result<std::vector<std::string>> CourseBadges(Id course) = 0;
  // Adds to each section named (by sourced id) its course's default badges,
  // beside any it has: what a section-creating path calls for the sections
  // it created. kNotFound for an unknown section.
  virtual Status AddCourseBadgesToSections(const std::vector<std::string>& sections) = 0;
  // Writes an import's checked changes (store/roster_change_set.h) in one
  // transaction (a savepoint inside Transact): all of them or, on any error,
  // none. A reference to a sourced id that is neither in `changes` nor stored
  // is kNotFound.
  virtual Status ApplyRosterChanges(const RosterChangeSet& changes) = 0;
};

// Accounts, sessions, API tokens, sign-in throttling and the audit log.
class AccessStore : public virtual Transactional {
 public:
  // Accounts are configuration (passwords change), not facts.
  virtual Result<Id> InsertAccount(const Account& account) = 0;
  virtual Result<std::optional<Account>> FindAccountByUsername(std::string_view username) = 0;
  virtual Result<std::optional<Account>> FindAccount(Id id) = 0;
  virtual Result<std::vector<Account>> Accounts() = 0;
  virtual Status SetPasswordHash(Id account, std::string_view hash) = 0;
  virtual Status SetAccountDisabled(Id account, bool disabled) = 0;

  virtual Status InsertSession(const Session& session) = 0;
  virtual Result<std::optional<Session>> FindSession(std::string_view token_hash) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteSessionsOf(Id account) = 0;

  virtual Result<Id> InsertApiToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ApiTokensOf(Id account) = 0;
  virtual Status RevokeApiToken(Id token, Instant at) = 0;

  virtual Result<Id> InsertInvitation(const Invitation& invitation) = 0;
  virtual Result<std::optional<Invitation>> FindInvitation(std::string_view token_hash) = 0;
  // Every invitation, oldest first.
  virtual Result<std::vector<Invitation>> Invitations() = 0;
  // Ends an invitation that is neither used nor revoked (else kNotFound):
  // `used` when an account was made from it, otherwise revoked.
  virtual Status CloseInvitation(Id invitation, Instant at, bool used) = 0;

  // Sign-in throttling, shared by every server on the database. Begin counts
  // the recent failures and reserves this attempt as one more, in one
  // transaction, so parallel attempts cannot all pass the count; Finish
  // removes the reservation when the password was right (and remembers the
  // address as good). Refused: allowed=false, nothing reserved.
  virtual Result<LoginAttempt> BeginLoginAttempt(std::string_view username,
                                                 std::string_view address, Instant now,
                                                 const LoginLimits& limits) = 0;
  virtual Status FinishLoginAttempt(const LoginAttempt& attempt, bool succeeded,
                                    std::string_view username, std::string_view address,
                                    Instant now) = 0;

  // Append-only, all or nothing, in order. An entry's `students` are kept
  // beside it. A batch is one statement on PostgreSQL: the server audits
  // every read, so this runs at the rate of reads.
  virtual Status AppendAudit(std::span<const AuditEntry> entries) = 0;
  Status AppendAudit(const AuditEntry& entry) { return AppendAudit({&entry, 1}); }
  // Newest first; for one student (named by the entry or among its
  // `students`) or all.
  virtual Result<std::vector<AuditEntry>> Audit(std::optional<Id> student, int limit) = 0;
};

// Portfolio work, its files, and calibration sessions.
class PortfolioStore : public virtual Transactional {
 public:
  // Portfolio (evidence/portfolio.h), append-only like the ledger. A version's
  // artifacts and an event's version must belong to the same student and
  // submission; the service checks that before writing.
  virtual Result<Id> InsertArtifact(const Artifact& artifact) = 0;
  virtual Result<std::optional<Artifact>> FindArtifact(Id id) = 0;
  // Total bytes of a student's files (for the per-student quota).
  virtual Result<std::int64_t> ArtifactBytes(Id student) = 0;
  // Whether any artifact refers to this blob (a refused upload's blob is
  // removed only when nothing does).
  virtual Result<bool> BlobReferenced(std::string_view sha256) = 0;
  virtual Result<Id> InsertSubmission(const Submission& submission) = 0;
  virtual Result<Id> AppendSubmissionVersion(const SubmissionVersion& version) = 0;
  virtual Result<Id> AppendPortfolioEvent(const PortfolioEvent& event) = 0;
  virtual Result<std::optional<SubmissionRecord>> LoadSubmission(Id id) = 0;
  // One student's submissions, or everyone's; in id order.
  virtual Result<std::vector<SubmissionRecord>> LoadSubmissions(std::optional<Id> student) = 0;
  virtual Result<std::optional<Id>> SubmissionOfVersion(Id version_id) = 0;

  // Calibration sessions (evidence/calibration.h).
  virtual Result<Id> InsertCalibrationSession(const CalibrationSession& session) = 0;
  virtual Result<Id> AppendCalibrationEvent(const CalibrationEvent& event) = 0;
  virtual Result<std::optional<CalibrationRecord>> LoadCalibration(Id id) = 0;
  virtual Result<std::vector<CalibrationRecord>> LoadCalibrations() = 0;
};

// Issuer profiles, signing keys and issued credentials.
class CredentialStore : public virtual Transactional {
 public:
  // Credentials (store/credential_records.h).
  virtual Status PutIssuerProfile(const IssuerProfile& profile) = 0;
  virtual Result<std::optional<IssuerProfile>> FindIssuerProfile(Id district) = 0;
  virtual Result<Id> InsertSigningKey(const StoredKey& key) = 0;
  virtual Status RetireSigningKey(Id key, Instant at) = 0;
  // Every key of the district, oldest first, retired ones included.
  virtual Result<std::vector<StoredKey>> SigningKeys(Id district) = 0;
  // kAlreadyExists when the award already has a credential or the status
  // entry (list, index) is taken in the district.
  virtual Result<Id> InsertCredential(const IssuedCredential& credential) = 0;
  virtual Result<std::optional<IssuedCredential>> FindCredential(std::string_view uuid) = 0;
  // One student's credentials, or a district's (student empty), in id order.
  virtual Result<std::vector<IssuedCredential>> Credentials(std::optional<Id> student,
                                                            std::optional<Id> district) = 0;
  virtual Result<std::vector<FactId>> CredentialAwardIds(Id student) = 0;
  // Status list entries, for issuing without reading the district's
  // credentials: each answers from an index, O(log n).
  virtual Result<StatusListFill> NewestStatusList(Id district) = 0;
  virtual Result<bool> StatusSlotTaken(Id district, int list, std::int64_t index) = 0;
  // The district's revoked credentials (in one status list, or in all), in
  // id order. Reads only revoke facts and their credentials.
  virtual Result<std::vector<RevokedCredential>> RevokedCredentials(Id district,
                                                                    std::optional<int> list) = 0;
  // A student's choice to make a credential's link public; the latest counts.
  virtual Status AppendCredentialShare(Id credential, bool is_public, Id actor, Instant at) = 0;
  virtual Result<bool> CredentialIsPublic(Id credential) = 0;
};

// Everything: what an engine implements (SQLite today, PostgreSQL next).
// Code that needs one area takes that narrow interface, so a fake or a
// decorator implements only what it is used for.
class Store : public LedgerStore,
              public RosterStore,
              public AccessStore,
              public PortfolioStore,
              public CredentialStore,
              public StandardsStore,
              public AlignmentStore,
              public JournalStore,
              public NotificationStore {
 public:
  ~Store() override = default;

  // Engine maintenance a long-running server asks for; engines without a
  // write-ahead log to manage (PostgreSQL) keep the defaults.
  // A commit that leaves more than `pages` pages in the log copies it back.
  virtual Status SetCheckpointPages(int /*pages*/) { return Status::Ok(); }
  // Copies what it can of the log back without waiting for anyone.
  virtual Status Checkpoint() { return Status::Ok(); }
};

// Opens one connection (a Store is not thread-safe: each thread that needs
// the database calls this once). The server is given one instead of opening
// a particular engine itself, so tests can hand it a decorator.
using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

}  // namespace cairn
