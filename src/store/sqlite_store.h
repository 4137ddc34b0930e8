// The embedded SQLite engine: one file, WAL journal, foreign keys on, versioned
// migrations applied on open. Append-only tables carry triggers that abort any
// UPDATE or DELETE, so even a stray SQL session cannot rewrite history.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cairn {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) and migrates the database at `path`.
  // ":memory:" gives a private in-memory database for tests.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The schema version after migration.
  int SchemaVersion() const { return schema_version_; }
  // The version Open migrates to: the number of migrations this Cairn has.
  static int LatestSchemaVersion();
  // A factory opening `path` (for the server).
  static StoreFactory Factory(std::string path);
  // For tests and benchmarks that need raw SQL on the same connection.
  sqlite3* handle() { return db_; }

  // After a commit on this connection leaves more than `pages` pages in the
  // write-ahead log, that commit copies the log back into the database
  // (SQLite's automatic checkpoint; its default is 1,000).
  Status SetCheckpointPages(int pages) override;
  // Copies what it can of the write-ahead log into the database without
  // waiting for readers or writers (a passive checkpoint).
  Status Checkpoint() override;

  Status Transact(const std::function<Status()>& body) override;
  bool InTransaction() const override { return transaction_depth_ > 0; }
  Result<std::int64_t> AddCatalogVersion(const CatalogVersion& version) override;
  Result<std::optional<CatalogVersion>> LatestCatalog() override;
  Status PutSetting(std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Result<Id> InsertDistrict(const District& district) override;
  Result<Id> InsertSchool(const School& school) override;
  Result<Id> InsertCourse(const Course& course) override;
  Result<Id> InsertSection(const Section& section) override;
  Result<Id> InsertPerson(const Person& person) override;
  Status InsertEnrollment(const Enrollment& enrollment) override;
  Status InsertGuardianLink(const GuardianLink& link) override;
  Result<Roster> LoadRoster() override;
  Result<Roster> LoadRosterWithoutEnrollments(
      const std::function<void(const Enrollment&)>& each) override;
  Result<std::optional<Person>> FindPerson(std::string_view sourced_id) override;
  Status SetPersonRole(Id person, PersonRole role) override;
  Status SetSectionBadges(Id section, const std::vector<std::string>& badges) override;
  Status ApplyRosterChanges(const RosterChangeSet& changes) override;  // sqlite_roster_import.cpp
  Result<FactId> AppendRating(const RatingFact& fact) override;
  Result<FactId> AppendVoid(const VoidFact& fact) override;
  Result<FactId> AppendHabit(const HabitFact& fact) override;
  Result<FactId> AppendAward(const AwardFact& fact) override;
  Result<std::optional<RatingFact>> FindRating(FactId id) override;
  Status ForEachRating(std::optional<Id> student,
                       const std::function<void(const RatingFact&)>& fn) override;
  Result<std::vector<VoidFact>> Voids(std::optional<Id> student) override;
  Result<std::vector<HabitFact>> Habits(std::optional<Id> student) override;
  Result<std::vector<AwardFact>> Awards(std::optional<Id> student) override;
  Result<std::vector<RatingFact>> RatingsAfter(FactId after) override;
  Result<std::vector<VoidFact>> VoidsAfter(FactId after) override;
  Result<std::vector<AwardFact>> AwardsAfter(FactId after) override;
  Result<std::int64_t> LatestCatalogId() override;
  Result<std::vector<HabitFact>> HabitsAfter(FactId after) override;
  Result<ChangeMarks> Marks() override;
  Result<Id> InsertAccount(const Account& account) override;
  Result<std::optional<Account>> FindAccountByUsername(std::string_view username) override;
  Result<std::optional<Account>> FindAccount(Id id) override;
  Result<std::vector<Account>> Accounts() override;
  Status SetPasswordHash(Id account, std::string_view hash) override;
  Status SetAccountDisabled(Id account, bool disabled) override;
  Status InsertSession(const Session& session) override;
  Result<std::optional<Session>> FindSession(std::string_view token_hash) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteSessionsOf(Id account) override;
  Result<Id> InsertApiToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) override;
  Result<std::vector<ApiToken>> ApiTokensOf(Id account) override;
  Status RevokeApiToken(Id token, Instant at) override;
  Result<Id> InsertInvitation(const Invitation& invitation) override;
  Result<std::optional<Invitation>> FindInvitation(std::string_view token_hash) override;
  Result<std::vector<Invitation>> Invitations() override;
  Status CloseInvitation(Id invitation, Instant at, bool used) override;
  Result<LoginAttempt> BeginLoginAttempt(std::string_view username, std::string_view address,
                                         Instant now, const LoginLimits& limits) override;
  Status FinishLoginAttempt(const LoginAttempt& attempt, bool succeeded, std::string_view username,
                            std::string_view address, Instant now) override;
  using AccessStore::AppendAudit;
  Status AppendAudit(std::span<const AuditEntry> entries) override;
  Result<std::vector<AuditEntry>> Audit(std::optional<Id> student, int limit) override;

  Result<Id> InsertArtifact(const Artifact& artifact) override;
  Result<std::optional<Artifact>> FindArtifact(Id id) override;
  Result<std::int64_t> ArtifactBytes(Id student) override;
  Result<bool> BlobReferenced(std::string_view sha256) override;
  Result<Id> InsertSubmission(const Submission& submission) override;
  Result<Id> AppendSubmissionVersion(const SubmissionVersion& version) override;
  Result<Id> AppendPortfolioEvent(const PortfolioEvent& event) override;
  Result<std::optional<SubmissionRecord>> LoadSubmission(Id id) override;
  Result<std::vector<SubmissionRecord>> LoadSubmissions(std::optional<Id> student) override;
  Result<std::optional<Id>> SubmissionOfVersion(Id version_id) override;
  Result<Id> InsertCalibrationSession(const CalibrationSession& session) override;
  Result<Id> AppendCalibrationEvent(const CalibrationEvent& event) override;
  Result<std::optional<CalibrationRecord>> LoadCalibration(Id id) override;
  Result<std::vector<CalibrationRecord>> LoadCalibrations() override;
  Status PutIssuerProfile(const IssuerProfile& profile) override;
  Result<std::optional<IssuerProfile>> FindIssuerProfile(Id district) override;
  Result<Id> InsertSigningKey(const StoredKey& key) override;
  Status RetireSigningKey(Id key, Instant at) override;
  Result<std::vector<StoredKey>> SigningKeys(Id district) override;
  Result<Id> InsertCredential(const IssuedCredential& credential) override;
  Result<std::optional<IssuedCredential>> FindCredential(std::string_view uuid) override;
  Result<std::vector<IssuedCredential>> Credentials(std::optional<Id> student,
                                                    std::optional<Id> district) override;
  Result<std::vector<FactId>> CredentialAwardIds(Id student) override;
  Result<StatusListFill> NewestStatusList(Id district) override;
  Result<bool> StatusSlotTaken(Id district, int list, std::int64_t index) override;
  Result<std::vector<RevokedCredential>> RevokedCredentials(Id district,
                                                            std::optional<int> list) override;
  Status AppendCredentialShare(Id credential, bool is_public, Id actor, Instant at) override;
  Result<bool> CredentialIsPublic(Id credential) override;
  // sqlite_standards.cpp
  Result<Id> InsertCaseFramework(const CaseFrameworkRecord& framework,
                                 const std::vector<CaseItemRecord>& items,
                                 const std::vector<CaseAssociationRecord>& associations) override;
  Result<std::vector<CaseFrameworkRecord>> CaseFrameworks() override;
  Result<std::optional<CaseFrameworkRecord>> FindCaseFramework(Id id) override;
  Result<std::vector<CaseItemRecord>> CaseItems(Id framework) override;
  Result<std::vector<CaseAssociationRecord>> CaseAssociations(Id framework) override;
  Result<std::optional<CurrentCaseItem>> FindCurrentCaseItem(std::string_view identifier) override;
  Status AppendCrosswalkFacts(const std::vector<CrosswalkFact>& facts) override;
  Result<std::vector<CrosswalkFact>> CurrentCrosswalk(std::optional<std::string> cpe) override;
  Result<std::vector<CrosswalkFact>> CrosswalkHistory(std::optional<std::string> cpe) override;
  // sqlite_alignment.cpp
  Status SetCourseBadges(Id course, const std::vector<std::string>& badges) override;
  Result<std::vector<std::string>> CourseBadges(Id course) override;
  Status AddCourseBadgesToSections(const std::vector<std::string>& sections) override;
  Result<Id> InsertCurriculumResource(const CurriculumResource& resource) override;
  Status RetireCurriculumResource(Id resource, Id by, Instant at) override;
  Result<std::optional<CurriculumResource>> FindCurriculumResource(Id resource) override;
  Result<std::vector<CurriculumResource>> CurriculumResources(
      const std::vector<std::string>& cpes) override;
  Result<std::vector<Id>> InsertAssessmentItems(const std::vector<AssessmentItem>& items) override;
  Status RetireAssessmentItem(Id item, Id by, Instant at) override;
  Result<std::optional<AssessmentItem>> FindAssessmentItem(Id item) override;
  Result<std::vector<AssessmentItem>> AssessmentItems(std::string_view badge) override;
  // sqlite_journal.cpp
  Result<std::vector<Id>> AppendJournal(const std::vector<JournalEntry>& entries) override;
  Result<std::vector<JournalEntry>> Journal(Id district, std::string_view stream,
                                            std::optional<std::string_view> key) override;
  Result<std::vector<JournalEntry>> JournalLatest(Id district, std::string_view stream) override;
  Result<std::vector<JournalEntry>> StudentJournal(Id student, std::string_view stream) override;
  Result<int> AddNotifications(const std::vector<StoredNotification>& notifications) override;
  Result<std::vector<StoredNotification>> NotificationsFor(Id recipient, int limit) override;
  Result<std::vector<StoredNotification>> NotificationsAwaiting(
      Id after, const std::vector<std::string>& final_steps,
      std::optional<std::string_view> required_step, int limit) override;
  Result<std::vector<DeliveryStep>> DeliverySteps(const std::vector<Id>& notifications) override;
  Status AppendDeliverySteps(const std::vector<DeliveryStep>& steps) override;
  Result<std::map<std::string, Id>> NotifierMarks() override;
  Status PutNotifierMarks(const std::map<std::string, Id>& marks) override;
  Result<std::vector<std::pair<PortfolioEvent, Id>>> PortfolioEventsAfter(Id after,
                                                                          int limit) override;

 private:
  Status AppendOneAudit(const AuditEntry& entry);
  class Statement;
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  Status Migrate();
  Status Exec(const char* sql);
  Status Control(const char* sql);  // BEGIN, COMMIT, SAVEPOINT...: prepared once
  Statement Prepare(const char* sql);
  Status Error(const std::string& what) const;
  Result<std::int64_t> InsertAndGetId(Statement& statement, const std::string& what);
  template <typename T>
  Result<std::vector<T>> ReadRows(const char* sql_for_student, const char* sql_for_all,
                                  std::optional<Id> student, FactId after, T (*read)(sqlite3_stmt*),
                                  const char* what);
  Result<std::vector<VoidFact>> ReadVoids(std::optional<Id> student, FactId after);
  Result<std::vector<AwardFact>> ReadAwards(std::optional<Id> student, FactId after);
  Result<std::vector<HabitFact>> ReadHabits(std::optional<Id> student, FactId after);

  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;  // prepared once
  int schema_version_ = 0;
  int transaction_depth_ = 0;
};

}  // namespace cairn
