#include "store/sqlite_store.h"

#include "store/sqlite_internal.h"

#include <sqlite3.h>

#include <array>
#include <unordered_map>

namespace cairn {
namespace {

// Each migration runs once, in order, in its own transaction. Never edit a
// shipped migration: add the next one.
constexpr auto kMigrations = std::to_array<const char*>({R"sql(
CREATE TABLE districts (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE schools (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL
);
CREATE TABLE courses (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  title TEXT NOT NULL
);
CREATE TABLE sections (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  school_id INTEGER NOT NULL REFERENCES schools(id),
  course_id INTEGER NOT NULL REFERENCES courses(id),
  title TEXT NOT NULL,
  term TEXT NOT NULL DEFAULT ''
);
CREATE TABLE section_badges (
  section_id INTEGER NOT NULL REFERENCES sections(id),
  badge_code TEXT NOT NULL,
  PRIMARY KEY (section_id, badge_code)
);
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('student','teacher','guardian','school_leader',
                                     'district_leader','admin')),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  district_id INTEGER NOT NULL REFERENCES districts(id),
  school_id INTEGER REFERENCES schools(id),
  grade TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT '',
  race_ethnicity TEXT NOT NULL DEFAULT '',
  english_learner INTEGER,
  disability INTEGER,
  economically_disadvantaged INTEGER
);
CREATE TABLE enrollments (
  section_id INTEGER NOT NULL REFERENCES sections(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  is_teacher INTEGER NOT NULL,
  PRIMARY KEY (section_id, person_id)
);
CREATE INDEX enrollments_person ON enrollments(person_id);
CREATE TABLE guardian_links (
  guardian_id INTEGER NOT NULL REFERENCES people(id),
  student_id INTEGER NOT NULL REFERENCES people(id),
  relationship TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (guardian_id, student_id)
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE catalog_versions (
  id INTEGER PRIMARY KEY,
  loaded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE ratings (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES people(id),
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  level_id TEXT NOT NULL,
  demonstrated_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('formative','summative','performance_task',
                                     'portfolio_item','external_assessment','outside_school')),
  note TEXT NOT NULL DEFAULT '',
  artifact_ref TEXT NOT NULL DEFAULT '',
  corrects INTEGER REFERENCES ratings(id)
);
CREATE INDEX ratings_student ON ratings(student_id);
CREATE TABLE voids (
  id INTEGER PRIMARY KEY,
  target INTEGER NOT NULL UNIQUE REFERENCES ratings(id),
  student_id INTEGER NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES people(id)
);
CREATE INDEX voids_student ON voids(student_id);
CREATE TABLE habits (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES people(id),
  habit_id TEXT NOT NULL,
  level_id TEXT NOT NULL,
  observed_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES people(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX habits_student ON habits(student_id);
CREATE TABLE awards (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES people(id),
  badge_code TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('proposed','confirmed','revoked')),
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER REFERENCES people(id),
  reason TEXT NOT NULL DEFAULT '',
  explanation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX awards_student ON awards(student_id);
CREATE TRIGGER ratings_append_only_u BEFORE UPDATE ON ratings
  BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
CREATE TRIGGER ratings_append_only_d BEFORE DELETE ON ratings
  BEGIN SELECT RAISE(ABORT, 'ratings are append-only'); END;
CREATE TRIGGER voids_append_only_u BEFORE UPDATE ON voids
  BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER voids_append_only_d BEFORE DELETE ON voids
  BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER habits_append_only_u BEFORE UPDATE ON habits
  BEGIN SELECT RAISE(ABORT, 'habits are append-only'); END;
CREATE TRIGGER habits_append_only_d BEFORE DELETE ON habits
  BEGIN SELECT RAISE(ABORT, 'habits are append-only'); END;
CREATE TRIGGER awards_append_only_u BEFORE UPDATE ON awards
  BEGIN SELECT RAISE(ABORT, 'awards are append-only'); END;
CREATE TRIGGER awards_append_only_d BEFORE DELETE ON awards
  BEGIN SELECT RAISE(ABORT, 'awards are append-only'); END;
CREATE TRIGGER catalog_versions_append_only_u BEFORE UPDATE ON catalog_versions
  BEGIN SELECT RAISE(ABORT, 'catalog versions are append-only'); END;
CREATE TRIGGER catalog_versions_append_only_d BEFORE DELETE ON catalog_versions
  BEGIN SELECT RAISE(ABORT, 'catalog versions are append-only'); END;
)sql",
                                                         R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_person_id INTEGER,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  student_id INTEGER,
  request_id TEXT NOT NULL,
  status INTEGER NOT NULL
);
CREATE INDEX audit_log_student ON audit_log(student_id, id);
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
                                                         R"sql(
-- Counters a cache reads to learn, in one query, whether the roster or the
-- settings changed.
CREATE TABLE change_counters (
  name TEXT PRIMARY KEY,
  n INTEGER NOT NULL
);
INSERT INTO change_counters(name, n) VALUES ('roster', 0), ('settings', 0);
CREATE TRIGGER people_changed_insert AFTER INSERT ON people
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER people_changed_update AFTER UPDATE ON people
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER people_changed_delete AFTER DELETE ON people
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER enrollments_changed_insert AFTER INSERT ON enrollments
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER enrollments_changed_update AFTER UPDATE ON enrollments
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER enrollments_changed_delete AFTER DELETE ON enrollments
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER guardian_links_changed_insert AFTER INSERT ON guardian_links
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER guardian_links_changed_update AFTER UPDATE ON guardian_links
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER guardian_links_changed_delete AFTER DELETE ON guardian_links
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER sections_changed_insert AFTER INSERT ON sections
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER sections_changed_update AFTER UPDATE ON sections
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER sections_changed_delete AFTER DELETE ON sections
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER section_badges_changed_insert AFTER INSERT ON section_badges
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER section_badges_changed_update AFTER UPDATE ON section_badges
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER section_badges_changed_delete AFTER DELETE ON section_badges
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER schools_changed_insert AFTER INSERT ON schools
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER schools_changed_update AFTER UPDATE ON schools
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER schools_changed_delete AFTER DELETE ON schools
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER courses_changed_insert AFTER INSERT ON courses
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER courses_changed_update AFTER UPDATE ON courses
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER courses_changed_delete AFTER DELETE ON courses
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER districts_changed_insert AFTER INSERT ON districts
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER districts_changed_update AFTER UPDATE ON districts
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER districts_changed_delete AFTER DELETE ON districts
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER settings_changed_insert AFTER INSERT ON settings
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'settings'; END;
CREATE TRIGGER settings_changed_update AFTER UPDATE ON settings
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'settings'; END;
CREATE TRIGGER settings_changed_delete AFTER DELETE ON settings
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'settings'; END;
)sql",
                                                         R"sql(
-- Portfolio: files, submissions, their versions and what happens to them.
-- All append-only; state is folded from portfolio_events.
CREATE TABLE artifacts (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES people(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL CHECK (size >= 0),
  mime TEXT NOT NULL,
  name TEXT NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES people(id),
  uploaded_at TEXT NOT NULL);
CREATE INDEX artifacts_student ON artifacts(student_id);
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  student_id INTEGER NOT NULL REFERENCES people(id),
  badge_code TEXT NOT NULL,
  title TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL);
CREATE INDEX submissions_student ON submissions(student_id);
CREATE TABLE submission_versions (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  number INTEGER NOT NULL,
  author INTEGER NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  reflection TEXT NOT NULL,
  tags TEXT NOT NULL,       -- JSON [{"cpe","indicator"}]
  artifacts TEXT NOT NULL,  -- JSON [artifact id]
  UNIQUE (submission_id, number));
CREATE TABLE portfolio_events (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  version_id INTEGER REFERENCES submission_versions(id),
  kind TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT NOT NULL);      -- JSON: anchor, cpe, level
CREATE INDEX portfolio_events_submission ON portfolio_events(submission_id);
CREATE TABLE calibration_sessions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  badge_code TEXT NOT NULL,
  cpes TEXT NOT NULL,       -- JSON [code]
  items TEXT NOT NULL,      -- JSON [version id]
  raters TEXT NOT NULL,     -- JSON [person id]
  created_by INTEGER NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL);
CREATE TABLE calibration_events (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES calibration_sessions(id),
  kind TEXT NOT NULL,
  actor INTEGER NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  item INTEGER NOT NULL,
  cpe TEXT NOT NULL,
  level TEXT NOT NULL,
  note TEXT NOT NULL);
CREATE INDEX calibration_events_session ON calibration_events(session_id);
CREATE TRIGGER artifacts_append_only_u BEFORE UPDATE ON artifacts
  BEGIN SELECT RAISE(ABORT, 'artifacts are append-only'); END;
CREATE TRIGGER artifacts_append_only_d BEFORE DELETE ON artifacts
  BEGIN SELECT RAISE(ABORT, 'artifacts are append-only'); END;
CREATE TRIGGER submissions_append_only_u BEFORE UPDATE ON submissions
  BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;
CREATE TRIGGER submissions_append_only_d BEFORE DELETE ON submissions
  BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;
CREATE TRIGGER submission_versions_append_only_u BEFORE UPDATE ON submission_versions
  BEGIN SELECT RAISE(ABORT, 'submission_versions are append-only'); END;
CREATE TRIGGER submission_versions_append_only_d BEFORE DELETE ON submission_versions
  BEGIN SELECT RAISE(ABORT, 'submission_versions are append-only'); END;
CREATE TRIGGER portfolio_events_append_only_u BEFORE UPDATE ON portfolio_events
  BEGIN SELECT RAISE(ABORT, 'portfolio_events are append-only'); END;
CREATE TRIGGER portfolio_events_append_only_d BEFORE DELETE ON portfolio_events
  BEGIN SELECT RAISE(ABORT, 'portfolio_events are append-only'); END;
CREATE TRIGGER calibration_sessions_append_only_u BEFORE UPDATE ON calibration_sessions
  BEGIN SELECT RAISE(ABORT, 'calibration_sessions are append-only'); END;
CREATE TRIGGER calibration_sessions_append_only_d BEFORE DELETE ON calibration_sessions
  BEGIN SELECT RAISE(ABORT, 'calibration_sessions are append-only'); END;
CREATE TRIGGER calibration_events_append_only_u BEFORE UPDATE ON calibration_events
  BEGIN SELECT RAISE(ABORT, 'calibration_events are append-only'); END;
CREATE TRIGGER calibration_events_append_only_d BEFORE DELETE ON calibration_events
  BEGIN SELECT RAISE(ABORT, 'calibration_events are append-only'); END;

)sql",
                                                         R"sql(
-- Credentials: issuer profiles and keys are configuration; issued
-- credentials and share choices are append-only facts.
CREATE TABLE issuer_profiles (
  district_id INTEGER PRIMARY KEY REFERENCES districts(id),
  name TEXT NOT NULL, url TEXT NOT NULL, email TEXT NOT NULL,
  image TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE signing_keys (
  id INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  algorithm TEXT NOT NULL CHECK (algorithm IN ('Ed25519', 'P-256')),
  key_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  sealed_private TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT,
  UNIQUE (district_id, key_id));
CREATE TRIGGER signing_keys_keep_d BEFORE DELETE ON signing_keys
  BEGIN SELECT RAISE(ABORT, 'signing keys are kept so old credentials verify'); END;
CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  award_id INTEGER NOT NULL UNIQUE REFERENCES awards(id),
  student_id INTEGER NOT NULL REFERENCES people(id),
  district_id INTEGER NOT NULL REFERENCES districts(id),
  badge_code TEXT NOT NULL,
  status_index INTEGER NOT NULL,
  issued_at TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (district_id, status_index));
CREATE INDEX credentials_student ON credentials(student_id);
CREATE TABLE credential_shares (
  id INTEGER PRIMARY KEY,
  credential_id INTEGER NOT NULL REFERENCES credentials(id),
  public INTEGER NOT NULL,
  actor INTEGER NOT NULL REFERENCES people(id),
  at TEXT NOT NULL);
CREATE TRIGGER credentials_append_only_u BEFORE UPDATE ON credentials
  BEGIN SELECT RAISE(ABORT, 'credentials are append-only'); END;
CREATE TRIGGER credentials_append_only_d BEFORE DELETE ON credentials
  BEGIN SELECT RAISE(ABORT, 'credentials are append-only'); END;
CREATE TRIGGER credential_shares_append_only_u BEFORE UPDATE ON credential_shares
  BEGIN SELECT RAISE(ABORT, 'credential_shares are append-only'); END;
CREATE TRIGGER credential_shares_append_only_d BEFORE DELETE ON credential_shares
  BEGIN SELECT RAISE(ABORT, 'credential_shares are append-only'); END;
)sql",
                                                         R"sql(
-- Sign-in caches read this to learn that a session ended, an account changed
-- or a token was revoked (new sessions need no notice: they are not cached).
INSERT INTO change_counters(name, n) VALUES ('access', 0);
CREATE TRIGGER sessions_changed_delete AFTER DELETE ON sessions
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
CREATE TRIGGER sessions_changed_update AFTER UPDATE ON sessions
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
CREATE TRIGGER accounts_changed_update AFTER UPDATE ON accounts
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
CREATE TRIGGER accounts_changed_delete AFTER DELETE ON accounts
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
CREATE TRIGGER api_tokens_changed_update AFTER UPDATE ON api_tokens
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
CREATE TRIGGER api_tokens_changed_delete AFTER DELETE ON api_tokens
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'access'; END;
)sql",
                                                         R"sql(
-- Throttling per client address as well as per account, and the addresses
-- an account signed in from (a correct password from one of them is not
-- blocked by others' failures).
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE TABLE login_addresses (
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (username, address)
);
-- Bulk reads name every student they returned; administrators' actions and
-- refusals say what they were.
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_students (
  audit_id INTEGER NOT NULL REFERENCES audit_log(id),
  student_id INTEGER NOT NULL
);
CREATE INDEX audit_students_student ON audit_students(student_id, audit_id);
CREATE TRIGGER audit_students_append_only_u BEFORE UPDATE ON audit_students
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_students_append_only_d BEFORE DELETE ON audit_students
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
                                                         R"sql(
-- Roster import (OneRoster): people and enrollments become inactive instead
-- of being deleted (their facts stay); enrollments and terms keep their
-- sourced ids; academic sessions are kept as imported.
ALTER TABLE people ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE enrollments ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE enrollments ADD COLUMN sourced_id TEXT;
CREATE UNIQUE INDEX enrollments_sourced_id ON enrollments(sourced_id)
  WHERE sourced_id IS NOT NULL;
ALTER TABLE sections ADD COLUMN term_sourced_id TEXT NOT NULL DEFAULT '';
CREATE TABLE academic_sessions (
  id INTEGER PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  parent_sourced_id TEXT NOT NULL DEFAULT '',
  school_year TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER academic_sessions_changed_insert AFTER INSERT ON academic_sessions
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
CREATE TRIGGER academic_sessions_changed_update AFTER UPDATE ON academic_sessions
  BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'roster'; END;
)sql",
                                                         R"sql(
-- Several revocation status lists per district (issue #12): an entry is
-- (status_list, status_index), existing credentials are in list 0. SQLite
-- cannot change a UNIQUE constraint in place: the two tables are rebuilt,
-- the share choices first so no foreign key dangles.
CREATE TABLE credentials_v9 (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  award_id INTEGER NOT NULL UNIQUE REFERENCES awards(id),
  student_id INTEGER NOT NULL REFERENCES people(id),
  district_id INTEGER NOT NULL REFERENCES districts(id),
  badge_code TEXT NOT NULL,
  status_list INTEGER NOT NULL DEFAULT 0,
  status_index INTEGER NOT NULL,
  issued_at TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (district_id, status_list, status_index));
INSERT INTO credentials_v9(id, uuid, award_id, student_id, district_id, badge_code, status_list,
                           status_index, issued_at, body)
  SELECT id, uuid, award_id, student_id, district_id, badge_code, 0, status_index, issued_at, body
  FROM credentials;
CREATE TABLE credential_shares_v9 (
  id INTEGER PRIMARY KEY,
  credential_id INTEGER NOT NULL REFERENCES credentials_v9(id),
  public INTEGER NOT NULL,
  actor INTEGER NOT NULL REFERENCES people(id),
  at TEXT NOT NULL);
INSERT INTO credential_shares_v9(id, credential_id, public, actor, at)
  SELECT id, credential_id, public, actor, at FROM credential_shares;
DROP TABLE credential_shares;
DROP TABLE credentials;
ALTER TABLE credentials_v9 RENAME TO credentials;
ALTER TABLE credential_shares_v9 RENAME TO credential_shares;
CREATE INDEX credentials_student ON credentials(student_id);
CREATE TRIGGER credentials_append_only_u BEFORE UPDATE ON credentials
  BEGIN SELECT RAISE(ABORT, 'credentials are append-only'); END;
CREATE TRIGGER credentials_append_only_d BEFORE DELETE ON credentials
  BEGIN SELECT RAISE(ABORT, 'credentials are append-only'); END;
CREATE TRIGGER credential_shares_append_only_u BEFORE UPDATE ON credential_shares
  BEGIN SELECT RAISE(ABORT, 'credential_shares are append-only'); END;
CREATE TRIGGER credential_shares_append_only_d BEFORE DELETE ON credential_shares
  BEGIN SELECT RAISE(ABORT, 'credential_shares are append-only'); END;
-- How full each list is, so issuing never counts a list's entries.
CREATE TABLE status_lists (
  district_id INTEGER NOT NULL REFERENCES districts(id),
  list INTEGER NOT NULL,
  taken INTEGER NOT NULL,
  PRIMARY KEY (district_id, list)) WITHOUT ROWID;
INSERT INTO status_lists(district_id, list, taken)
  SELECT district_id, 0, COUNT(*) FROM credentials GROUP BY district_id;
CREATE TRIGGER credentials_fill_status_list AFTER INSERT ON credentials BEGIN
  INSERT INTO status_lists(district_id, list, taken) VALUES (NEW.district_id, NEW.status_list, 1)
    ON CONFLICT (district_id, list) DO UPDATE SET taken = taken + 1;
END;
-- Status lists read the revocations only.
CREATE INDEX awards_revoked ON awards(student_id, badge_code) WHERE action = 'revoked';
)sql",
                                                         R"sql(
-- Standards frameworks imported from CASE packages (interop/case): every
-- version kept whole (the package as imported) with its items and
-- associations; the crosswalk between CPEs and CFItems is a history of link
-- and unlink facts, the latest per pair in force. All append-only.
CREATE TABLE case_frameworks (
  id INTEGER PRIMARY KEY,
  document_identifier TEXT NOT NULL,
  uri TEXT NOT NULL,
  title TEXT NOT NULL,
  creator TEXT NOT NULL,
  publisher TEXT NOT NULL,
  version TEXT NOT NULL,
  version_at TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by INTEGER REFERENCES people(id),
  package TEXT NOT NULL,
  UNIQUE (document_identifier, content_sha256));
CREATE INDEX case_frameworks_version ON case_frameworks(document_identifier, version_at, id);
CREATE TABLE case_items (
  framework_id INTEGER NOT NULL REFERENCES case_frameworks(id),
  identifier TEXT NOT NULL,
  uri TEXT NOT NULL,
  human_coding_scheme TEXT NOT NULL,
  full_statement TEXT NOT NULL,
  item_type TEXT NOT NULL,
  list_enumeration TEXT NOT NULL,
  parent_identifier TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (framework_id, identifier));
CREATE INDEX case_items_identifier ON case_items(identifier);
CREATE TABLE case_associations (
  framework_id INTEGER NOT NULL REFERENCES case_frameworks(id),
  identifier TEXT NOT NULL,
  association_type TEXT NOT NULL,
  origin_identifier TEXT NOT NULL,
  origin_uri TEXT NOT NULL,
  destination_identifier TEXT NOT NULL,
  destination_uri TEXT NOT NULL,
  sequence_number INTEGER,
  position INTEGER NOT NULL,
  PRIMARY KEY (framework_id, identifier));
CREATE TABLE crosswalk_facts (
  id INTEGER PRIMARY KEY,
  cpe TEXT NOT NULL,
  item_identifier TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
  actor INTEGER REFERENCES people(id),
  at TEXT NOT NULL,
  source TEXT NOT NULL);
CREATE INDEX crosswalk_facts_pair ON crosswalk_facts(cpe, item_identifier, id);
CREATE TRIGGER case_frameworks_append_only_u BEFORE UPDATE ON case_frameworks
  BEGIN SELECT RAISE(ABORT, 'case_frameworks are append-only'); END;
CREATE TRIGGER case_frameworks_append_only_d BEFORE DELETE ON case_frameworks
  BEGIN SELECT RAISE(ABORT, 'case_frameworks are append-only'); END;
CREATE TRIGGER case_items_append_only_u BEFORE UPDATE ON case_items
  BEGIN SELECT RAISE(ABORT, 'case_items are append-only'); END;
CREATE TRIGGER case_items_append_only_d BEFORE DELETE ON case_items
  BEGIN SELECT RAISE(ABORT, 'case_items are append-only'); END;
CREATE TRIGGER case_associations_append_only_u BEFORE UPDATE ON case_associations
  BEGIN SELECT RAISE(ABORT, 'case_associations are append-only'); END;
CREATE TRIGGER case_associations_append_only_d BEFORE DELETE ON case_associations
  BEGIN SELECT RAISE(ABORT, 'case_associations are append-only'); END;
CREATE TRIGGER crosswalk_facts_append_only_u BEFORE UPDATE ON crosswalk_facts
  BEGIN SELECT RAISE(ABORT, 'crosswalk_facts are append-only'); END;
CREATE TRIGGER crosswalk_facts_append_only_d BEFORE DELETE ON crosswalk_facts
  BEGIN SELECT RAISE(ABORT, 'crosswalk_facts are append-only'); END;
)sql",
                                                         R"sql(
-- Invitation links: one-time secrets (hashed) that let an imported person
-- choose their sign-in.
CREATE TABLE invitations (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES people(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX invitations_person ON invitations(person_id);
)sql",
                                                         R"sql(
-- Issue #11, district adoption. A course's default badges (configuration,
-- copied to each new section of the course). Curriculum resources per CPE
-- and interim assessment items per badge: rows are never changed (ratings
-- refer to items), so removing one is an append-only retirement row.
-- Ratings may name the item they rate.
CREATE TABLE course_badges (
  course_id INTEGER NOT NULL REFERENCES courses(id),
  badge_code TEXT NOT NULL,
  PRIMARY KEY (course_id, badge_code));
CREATE TABLE curriculum_resources (
  id INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  provider TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  added_by INTEGER NOT NULL REFERENCES people(id),
  added_at TEXT NOT NULL);
CREATE INDEX curriculum_resources_cpe ON curriculum_resources(cpe_id, id);
CREATE TABLE curriculum_resource_retirements (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL UNIQUE REFERENCES curriculum_resources(id),
  retired_by INTEGER NOT NULL REFERENCES people(id),
  retired_at TEXT NOT NULL);
CREATE TABLE assessment_items (
  id INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  badge_code TEXT NOT NULL,
  item_key TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  standards TEXT NOT NULL DEFAULT '[]',
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  added_by INTEGER NOT NULL REFERENCES people(id),
  added_at TEXT NOT NULL);
CREATE INDEX assessment_items_badge ON assessment_items(badge_code, item_key, id);
CREATE TABLE assessment_item_retirements (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL UNIQUE REFERENCES assessment_items(id),
  retired_by INTEGER NOT NULL REFERENCES people(id),
  retired_at TEXT NOT NULL);
ALTER TABLE ratings ADD COLUMN assessment_item_id INTEGER REFERENCES assessment_items(id);
CREATE TRIGGER curriculum_resources_append_only_u BEFORE UPDATE ON curriculum_resources
  BEGIN SELECT RAISE(ABORT, 'curriculum_resources are append-only'); END;
CREATE TRIGGER curriculum_resources_append_only_d BEFORE DELETE ON curriculum_resources
  BEGIN SELECT RAISE(ABORT, 'curriculum_resources are append-only'); END;
CREATE TRIGGER curriculum_resource_retirements_append_only_u BEFORE UPDATE
  ON curriculum_resource_retirements
  BEGIN SELECT RAISE(ABORT, 'curriculum_resource_retirements are append-only'); END;
CREATE TRIGGER curriculum_resource_retirements_append_only_d BEFORE DELETE
  ON curriculum_resource_retirements
  BEGIN SELECT RAISE(ABORT, 'curriculum_resource_retirements are append-only'); END;
CREATE TRIGGER assessment_items_append_only_u BEFORE UPDATE ON assessment_items
  BEGIN SELECT RAISE(ABORT, 'assessment_items are append-only'); END;
CREATE TRIGGER assessment_items_append_only_d BEFORE DELETE ON assessment_items
  BEGIN SELECT RAISE(ABORT, 'assessment_items are append-only'); END;
CREATE TRIGGER assessment_item_retirements_append_only_u BEFORE UPDATE
  ON assessment_item_retirements
  BEGIN SELECT RAISE(ABORT, 'assessment_item_retirements are append-only'); END;
CREATE TRIGGER assessment_item_retirements_append_only_d BEFORE DELETE
  ON assessment_item_retirements
  BEGIN SELECT RAISE(ABORT, 'assessment_item_retirements are append-only'); END;
)sql",
                                                         R"sql(
-- Issue #15: the journal. Every revision of a district's small planning and
-- student-owned documents (rounds, trackers, learning plans...); the newest
-- revision of a (district, stream, key) is the document. recorded_by is NULL
-- when withheld on purpose (anonymous responses).
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  stream TEXT NOT NULL CHECK (stream <> ''),
  doc_key TEXT NOT NULL CHECK (doc_key <> ''),
  student_id INTEGER REFERENCES people(id),
  body TEXT NOT NULL,
  recorded_by INTEGER REFERENCES people(id),
  recorded_at TEXT NOT NULL);
CREATE INDEX journal_document ON journal(district_id, stream, doc_key, id);
CREATE INDEX journal_student ON journal(student_id, stream, id) WHERE student_id IS NOT NULL;
CREATE TRIGGER journal_append_only_u BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_append_only_d BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
)sql",
                                                         R"sql(
-- Issue #13: notifications, and each step of delivering them by email.
-- Both append-only; (recipient, dedupe_key) makes deriving a fact twice
-- harmless, (notification, step, attempt) lets two senders agree.
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  district_id INTEGER NOT NULL REFERENCES districts(id),
  recipient_id INTEGER NOT NULL REFERENCES people(id),
  student_id INTEGER REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind <> ''),
  dedupe_key TEXT NOT NULL CHECK (dedupe_key <> ''),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (recipient_id, dedupe_key));
CREATE INDEX notifications_recipient ON notifications(recipient_id, id);
CREATE TABLE notification_steps (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  step TEXT NOT NULL CHECK (step <> ''),
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL,
  UNIQUE (notification_id, step, attempt));
CREATE TABLE notification_marks (
  source TEXT PRIMARY KEY,
  mark INTEGER NOT NULL);
CREATE TRIGGER notifications_append_only_u BEFORE UPDATE ON notifications
  BEGIN SELECT RAISE(ABORT, 'notifications are append-only'); END;
CREATE TRIGGER notifications_append_only_d BEFORE DELETE ON notifications
  BEGIN SELECT RAISE(ABORT, 'notifications are append-only'); END;
CREATE TRIGGER notification_steps_append_only_u BEFORE UPDATE ON notification_steps
  BEGIN SELECT RAISE(ABORT, 'notification_steps are append-only'); END;
CREATE TRIGGER notification_steps_append_only_d BEFORE DELETE ON notification_steps
  BEGIN SELECT RAISE(ABORT, 'notification_steps are append-only'); END;
)sql"});

Status StatusFromSqlite(sqlite3* db, int rc, const std::string& what) {
  std::string message = what + ": " + sqlite3_errmsg(db);
  switch (sqlite3_extended_errcode(db)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::Exists(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Status::NotFound(what + ": refers to a record that does not exist");
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Status::Invalid(message);
    case SQLITE_CONSTRAINT_TRIGGER:
      return Status::Precondition(message);
    default:
      break;
  }
  const int primary = sqlite3_extended_errcode(db) & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(message);
  (void)rc;
  return Status::Internal(message);
}

std::optional<bool> OptionalBool(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int(stmt, column) != 0;
}

constexpr const char* kPersonSelect =
    "SELECT id, sourced_id, role, given_name, family_name, email, district_id, school_id, "
    "grade, gender, race_ethnicity, english_learner, disability, economically_disadvantaged, "
    "active FROM people ORDER BY id";

Person ReadPerson(sqlite3_stmt* stmt) {
  Person p;
  p.id = sqlite3_column_int64(stmt, 0);
  p.sourced_id = Text(stmt, 1);
  p.role = ParsePersonRole(Text(stmt, 2)).value_or(PersonRole::kStudent);
  p.given_name = Text(stmt, 3);
  p.family_name = Text(stmt, 4);
  p.email = Text(stmt, 5);
  p.district_id = sqlite3_column_int64(stmt, 6);
  if (sqlite3_column_type(stmt, 7) != SQLITE_NULL) p.school_id = sqlite3_column_int64(stmt, 7);
  p.demographics.grade = Text(stmt, 8);
  p.demographics.gender = Text(stmt, 9);
  p.demographics.race_ethnicity = Text(stmt, 10);
  p.demographics.english_learner = OptionalBool(stmt, 11);
  p.demographics.disability = OptionalBool(stmt, 12);
  p.demographics.economically_disadvantaged = OptionalBool(stmt, 13);
  p.active = sqlite3_column_int(stmt, 14) != 0;
  return p;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::Internal("cannot open database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<SqliteStore> store(new SqliteStore(db));
  CAIRN_RETURN_IF_ERROR(store->Exec("PRAGMA foreign_keys = ON"));
  if (path != ":memory:") {
    CAIRN_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode = WAL"));
    // WAL + NORMAL is durable against application crashes; FULL also against
    // power loss, which is what a record of student achievement deserves.
    CAIRN_RETURN_IF_ERROR(store->Exec("PRAGMA synchronous = FULL"));
  }
  CAIRN_RETURN_IF_ERROR(store->Migrate());
  return store;
}

StoreFactory SqliteStore::Factory(std::string path) {
  return [path = std::move(path)]() -> Result<std::unique_ptr<Store>> {
    auto store = Open(path);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  };
}

SqliteStore::~SqliteStore() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteStore::Error(const std::string& what) const {
  return StatusFromSqlite(db_, sqlite3_errcode(db_), what);
}

Status SqliteStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::Internal(std::string("SQL failed: ") + message);
  }
  return Status::Ok();
}

SqliteStore::Statement SqliteStore::Prepare(const char* sql) {
  // Keyed by the SQL literal's address: every caller passes a literal or a
  // static string.
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Statement(db_, it->second);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) return Statement(db_, nullptr);
  statements_.emplace(sql, stmt);
  return Statement(db_, stmt);
}

int SqliteStore::LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Status SqliteStore::Migrate() {
  CAIRN_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"));
  {  // reset before migrating: a statement left on a row locks DROP TABLE
    Statement current = Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!current.valid() || current.Step() != SQLITE_ROW) return Error("reading schema version");
    schema_version_ = sqlite3_column_int(current.get(), 0);
  }
  if (schema_version_ > static_cast<int>(kMigrations.size())) {
    return Status::Precondition("the database is at schema version " +
                                std::to_string(schema_version_) +
                                ", newer than this Cairn knows; upgrade Cairn");
  }
  for (int version = schema_version_ + 1; version <= static_cast<int>(kMigrations.size());
       ++version) {
    Status status = Transact([&]() -> Status {
      CAIRN_RETURN_IF_ERROR(Exec(kMigrations[static_cast<std::size_t>(version - 1)]));
      Statement record = Prepare("INSERT INTO schema_migrations(version) VALUES (?)");
      record.Bind(1, std::int64_t{version});
      if (record.Step() != SQLITE_DONE) return Error("recording migration");
      return Status::Ok();
    });
    CAIRN_RETURN_IF_ERROR(status);
    schema_version_ = version;
  }
  return Status::Ok();
}

Status SqliteStore::SetCheckpointPages(int pages) {
  if (sqlite3_wal_autocheckpoint(db_, pages) != SQLITE_OK) return Error("setting checkpoints");
  return Status::Ok();
}

Status SqliteStore::Checkpoint() {
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) !=
      SQLITE_OK) {
    return Error("checkpoint");
  }
  return Status::Ok();
}

// Transaction control runs on every request: prepared once, not parsed each
// time as sqlite3_exec would.
Status SqliteStore::Control(const char* sql) {
  Statement s = Prepare(sql);
  if (!s.valid() || s.Step() != SQLITE_DONE) return Error(sql);
  return Status::Ok();
}

Status SqliteStore::Transact(const std::function<Status()>& body) {
  if (transaction_depth_ > 0) {
    // Nested: a savepoint, so a failing inner body undoes only its own
    // writes and the outer transaction goes on.
    CAIRN_RETURN_IF_ERROR(Control("SAVEPOINT nested"));
    ++transaction_depth_;
    Status status;
    try {
      status = body();
    } catch (...) {
      --transaction_depth_;
      (void)Control("ROLLBACK TO nested");
      (void)Control("RELEASE nested");
      throw;
    }
    --transaction_depth_;
    if (!status.ok()) (void)Control("ROLLBACK TO nested");
    (void)Control("RELEASE nested");
    return status;
  }
  // IMMEDIATE takes the write lock up front, so two writers queue instead of
  // failing half-way with SQLITE_BUSY.
  CAIRN_RETURN_IF_ERROR(Control("BEGIN IMMEDIATE"));
  ++transaction_depth_;
  Status status;
  try {
    status = body();
  } catch (...) {
    --transaction_depth_;
    (void)Control("ROLLBACK");
    throw;
  }
  --transaction_depth_;
  if (!status.ok()) {
    (void)Control("ROLLBACK");
    return status;
  }
  Status commit = Control("COMMIT");
  if (!commit.ok()) (void)Control("ROLLBACK");
  return commit;
}

Result<std::int64_t> SqliteStore::InsertAndGetId(Statement& statement, const std::string& what) {
  if (!statement.valid()) return Error("preparing " + what);
  if (statement.Step() != SQLITE_DONE) return Error(what);
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::int64_t> SqliteStore::AddCatalogVersion(const CatalogVersion& version) {
  Statement s = Prepare("INSERT INTO catalog_versions(loaded_at, source, body) VALUES (?,?,?)");
  s.Bind(1, FormatInstant(version.loaded_at)).Bind(2, version.source).Bind(3, version.body);
  return InsertAndGetId(s, "saving catalog");
}

Result<std::optional<CatalogVersion>> SqliteStore::LatestCatalog() {
  Statement s =
      Prepare("SELECT id, loaded_at, source, body FROM catalog_versions ORDER BY id DESC LIMIT 1");
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<CatalogVersion>{};
  if (rc != SQLITE_ROW) return Error("reading catalog");
  CatalogVersion version;
  version.id = sqlite3_column_int64(s.get(), 0);
  auto loaded = ParseInstant(Text(s.get(), 1));
  version.loaded_at = loaded.ok() ? *loaded : 0;
  version.source = Text(s.get(), 2);
  version.body = Text(s.get(), 3);
  return std::optional<CatalogVersion>(std::move(version));
}

Status SqliteStore::PutSetting(std::string_view key, std::string_view value) {
  Statement s = Prepare(
      "INSERT INTO settings(key, value) VALUES (?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  s.Bind(1, key).Bind(2, value);
  if (s.Step() != SQLITE_DONE) return Error("saving setting");
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  Statement s = Prepare("SELECT value FROM settings WHERE key = ?");
  s.Bind(1, key);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return Error("reading setting");
  return std::optional<std::string>(Text(s.get(), 0));
}

Result<Id> SqliteStore::InsertDistrict(const District& district) {
  Statement s = Prepare("INSERT INTO districts(sourced_id, name) VALUES (?, ?)");
  s.Bind(1, district.sourced_id).Bind(2, district.name);
  return InsertAndGetId(s, "district '" + district.sourced_id + "'");
}

Result<Id> SqliteStore::InsertSchool(const School& school) {
  Statement s = Prepare("INSERT INTO schools(sourced_id, district_id, name) VALUES (?, ?, ?)");
  s.Bind(1, school.sourced_id).Bind(2, school.district_id).Bind(3, school.name);
  return InsertAndGetId(s, "school '" + school.sourced_id + "'");
}

Result<Id> SqliteStore::InsertCourse(const Course& course) {
  Statement s = Prepare("INSERT INTO courses(sourced_id, district_id, title) VALUES (?, ?, ?)");
  s.Bind(1, course.sourced_id).Bind(2, course.district_id).Bind(3, course.title);
  return InsertAndGetId(s, "course '" + course.sourced_id + "'");
}

Result<Id> SqliteStore::InsertSection(const Section& section) {
  Id id = 0;
  Status status = Transact([&]() -> Status {
    Statement s = Prepare(
        "INSERT INTO sections(sourced_id, school_id, course_id, title, term) "
        "VALUES (?, ?, ?, ?, ?)");
    s.Bind(1, section.sourced_id)
        .Bind(2, section.school_id)
        .Bind(3, section.course_id)
        .Bind(4, section.title)
        .Bind(5, section.term);
    CAIRN_ASSIGN_OR_RETURN(id, InsertAndGetId(s, "section '" + section.sourced_id + "'"));
    for (const std::string& code : section.badges) {
      Statement b = Prepare("INSERT INTO section_badges(section_id, badge_code) VALUES (?, ?)");
      b.Bind(1, id).Bind(2, code);
      if (b.Step() != SQLITE_DONE) return Error("section badge '" + code + "'");
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return id;
}

Result<Id> SqliteStore::InsertPerson(const Person& person) {
  Statement s = Prepare(
      "INSERT INTO people(sourced_id, role, given_name, family_name, email, district_id, "
      "school_id, grade, gender, race_ethnicity, english_learner, disability, "
      "economically_disadvantaged) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  const Demographics& d = person.demographics;
  s.Bind(1, person.sourced_id)
      .Bind(2, PersonRoleName(person.role))
      .Bind(3, person.given_name)
      .Bind(4, person.family_name)
      .Bind(5, person.email)
      .Bind(6, person.district_id)
      .BindOptional(7, person.school_id)
      .Bind(8, d.grade)
      .Bind(9, d.gender)
      .Bind(10, d.race_ethnicity)
      .BindOptional(11, d.english_learner)
      .BindOptional(12, d.disability)
      .BindOptional(13, d.economically_disadvantaged);
  return InsertAndGetId(s, "person '" + person.sourced_id + "'");
}

Status SqliteStore::InsertEnrollment(const Enrollment& enrollment) {
  Statement s =
      Prepare("INSERT INTO enrollments(section_id, person_id, is_teacher) VALUES (?, ?, ?)");
  s.Bind(1, enrollment.section_id)
      .Bind(2, enrollment.person_id)
      .Bind(3, std::int64_t{enrollment.teacher ? 1 : 0});
  if (s.Step() != SQLITE_DONE) return Error("enrollment");
  return Status::Ok();
}

Status SqliteStore::InsertGuardianLink(const GuardianLink& link) {
  Statement s =
      Prepare("INSERT INTO guardian_links(guardian_id, student_id, relationship) VALUES (?, ?, ?)");
  s.Bind(1, link.guardian_id).Bind(2, link.student_id).Bind(3, link.relationship);
  if (s.Step() != SQLITE_DONE) return Error("guardian link");
  return Status::Ok();
}

Result<Roster> SqliteStore::LoadRoster() { return LoadRosterWithoutEnrollments({}); }

// With no `each`, the enrollments are kept in the roster (LoadRoster).
Result<Roster> SqliteStore::LoadRosterWithoutEnrollments(
    const std::function<void(const Enrollment&)>& each) {
  Roster roster;
  {
    Statement s = Prepare("SELECT id, sourced_id, name FROM districts ORDER BY id");
    while (s.Step() == SQLITE_ROW) {
      roster.districts.push_back(
          {sqlite3_column_int64(s.get(), 0), Text(s.get(), 1), Text(s.get(), 2)});
    }
  }
  {
    Statement s = Prepare("SELECT id, sourced_id, district_id, name FROM schools ORDER BY id");
    while (s.Step() == SQLITE_ROW) {
      roster.schools.push_back({sqlite3_column_int64(s.get(), 0), Text(s.get(), 1),
                                sqlite3_column_int64(s.get(), 2), Text(s.get(), 3)});
    }
  }
  {
    Statement s = Prepare("SELECT id, sourced_id, district_id, title FROM courses ORDER BY id");
    while (s.Step() == SQLITE_ROW) {
      roster.courses.push_back({sqlite3_column_int64(s.get(), 0), Text(s.get(), 1),
                                sqlite3_column_int64(s.get(), 2), Text(s.get(), 3)});
    }
  }
  {
    Statement s = Prepare(
        "SELECT id, sourced_id, school_id, course_id, title, term, term_sourced_id FROM sections "
        "ORDER BY id");
    while (s.Step() == SQLITE_ROW) {
      Section section;
      section.id = sqlite3_column_int64(s.get(), 0);
      section.sourced_id = Text(s.get(), 1);
      section.school_id = sqlite3_column_int64(s.get(), 2);
      section.course_id = sqlite3_column_int64(s.get(), 3);
      section.title = Text(s.get(), 4);
      section.term = Text(s.get(), 5);
      section.term_sourced_id = Text(s.get(), 6);
      roster.sections.push_back(std::move(section));
    }
    Statement b =
        Prepare("SELECT section_id, badge_code FROM section_badges ORDER BY section_id, rowid");
    std::unordered_map<Id, Section*> by_id;
    for (Section& section : roster.sections) by_id[section.id] = &section;
    while (b.Step() == SQLITE_ROW) {
      auto it = by_id.find(sqlite3_column_int64(b.get(), 0));
      if (it != by_id.end()) it->second->badges.push_back(Text(b.get(), 1));
    }
  }
  {
    Statement s = Prepare(kPersonSelect);
    while (s.Step() == SQLITE_ROW) roster.people.push_back(ReadPerson(s.get()));
  }
  {
    Statement s = Prepare(
        "SELECT section_id, person_id, is_teacher, active, sourced_id FROM enrollments "
        "ORDER BY section_id, rowid");
    Enrollment e;
    while (s.Step() == SQLITE_ROW) {
      e = {sqlite3_column_int64(s.get(), 0), sqlite3_column_int64(s.get(), 1),
           sqlite3_column_int(s.get(), 2) != 0, sqlite3_column_int(s.get(), 3) != 0,
           Text(s.get(), 4)};
      if (each) {
        each(e);
      } else {
        roster.enrollments.push_back(std::move(e));
      }
    }
  }
  {
    Statement s = Prepare(
        "SELECT id, sourced_id, title, type, start_date, end_date, parent_sourced_id, "
        "school_year FROM academic_sessions ORDER BY id");
    while (s.Step() == SQLITE_ROW) {
      roster.academic_sessions.push_back({sqlite3_column_int64(s.get(), 0), Text(s.get(), 1),
                                          Text(s.get(), 2), Text(s.get(), 3), Text(s.get(), 4),
                                          Text(s.get(), 5), Text(s.get(), 6), Text(s.get(), 7)});
    }
  }
  {
    Statement s =
        Prepare("SELECT guardian_id, student_id, relationship FROM guardian_links ORDER BY rowid");
    while (s.Step() == SQLITE_ROW) {
      roster.guardian_links.push_back(
          {sqlite3_column_int64(s.get(), 0), sqlite3_column_int64(s.get(), 1), Text(s.get(), 2)});
    }
  }
  roster.Index();
  return roster;
}

Result<std::optional<Person>> SqliteStore::FindPerson(std::string_view sourced_id) {
  static const std::string sql =
      std::string(kPersonSelect).substr(0, std::string(kPersonSelect).find(" ORDER BY")) +
      " WHERE sourced_id = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, sourced_id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Person>{};
  if (rc != SQLITE_ROW) return Error("reading person");
  return std::optional<Person>(ReadPerson(s.get()));
}

Result<FactId> SqliteStore::AppendRating(const RatingFact& fact) {
  Statement s = Prepare(
      "INSERT INTO ratings(student_id, cpe_id, indicator_id, level_id, demonstrated_on, "
      "recorded_at, recorded_by, kind, note, artifact_ref, corrects, assessment_item_id) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  s.Bind(1, fact.student_id)
      .Bind(2, fact.cpe_id)
      .Bind(3, fact.indicator_id)
      .Bind(4, fact.level_id)
      .Bind(5, FormatDate(fact.demonstrated_on))
      .Bind(6, FormatInstant(fact.recorded_at))
      .Bind(7, fact.recorded_by)
      .Bind(8, EvidenceKindName(fact.kind))
      .Bind(9, fact.note)
      .Bind(10, fact.artifact_ref)
      .BindOptional(11, fact.corrects)
      .BindOptional(12, fact.assessment_item);
  return InsertAndGetId(s, "rating");
}

Result<FactId> SqliteStore::AppendVoid(const VoidFact& fact) {
  Statement s = Prepare(
      "INSERT INTO voids(target, student_id, reason, recorded_at, recorded_by) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, fact.target)
      .Bind(2, fact.student_id)
      .Bind(3, fact.reason)
      .Bind(4, FormatInstant(fact.recorded_at))
      .Bind(5, fact.recorded_by);
  return InsertAndGetId(s, "void of rating " + std::to_string(fact.target));
}

Result<FactId> SqliteStore::AppendHabit(const HabitFact& fact) {
  Statement s = Prepare(
      "INSERT INTO habits(student_id, habit_id, level_id, observed_on, recorded_at, recorded_by, "
      "note) VALUES (?,?,?,?,?,?,?)");
  s.Bind(1, fact.student_id)
      .Bind(2, fact.habit_id)
      .Bind(3, fact.level_id)
      .Bind(4, FormatDate(fact.observed_on))
      .Bind(5, FormatInstant(fact.recorded_at))
      .Bind(6, fact.recorded_by)
      .Bind(7, fact.note);
  return InsertAndGetId(s, "habit observation");
}

Result<FactId> SqliteStore::AppendAward(const AwardFact& fact) {
  Statement s = Prepare(
      "INSERT INTO awards(student_id, badge_code, action, recorded_at, recorded_by, reason, "
      "explanation) VALUES (?,?,?,?,?,?,?)");
  s.Bind(1, fact.student_id)
      .Bind(2, fact.badge_code)
      .Bind(3, AwardActionName(fact.action))
      .Bind(4, FormatInstant(fact.recorded_at))
      .BindOptional(5, fact.recorded_by)
      .Bind(6, fact.reason)
      .Bind(7, fact.explanation_json);
  return InsertAndGetId(s, "award");
}

namespace {

RatingFact ReadRating(sqlite3_stmt* stmt) {
  RatingFact fact;
  fact.id = sqlite3_column_int64(stmt, 0);
  fact.student_id = sqlite3_column_int64(stmt, 1);
  fact.cpe_id = Text(stmt, 2);
  fact.indicator_id = Text(stmt, 3);
  fact.level_id = Text(stmt, 4);
  auto day = ParseDate(Text(stmt, 5));
  fact.demonstrated_on = day.ok() ? *day : 0;
  auto recorded = ParseInstant(Text(stmt, 6));
  fact.recorded_at = recorded.ok() ? *recorded : 0;
  fact.recorded_by = sqlite3_column_int64(stmt, 7);
  fact.kind = ParseEvidenceKind(Text(stmt, 8)).value_or(EvidenceKind::kSummative);
  fact.note = Text(stmt, 9);
  fact.artifact_ref = Text(stmt, 10);
  if (sqlite3_column_type(stmt, 11) != SQLITE_NULL) fact.corrects = sqlite3_column_int64(stmt, 11);
  if (sqlite3_column_type(stmt, 12) != SQLITE_NULL) {
    fact.assessment_item = sqlite3_column_int64(stmt, 12);
  }
  return fact;
}

constexpr const char* kVoidColumns = "id, target, student_id, reason, recorded_at, recorded_by";

VoidFact ReadVoid(sqlite3_stmt* stmt) {
  VoidFact fact;
  fact.id = sqlite3_column_int64(stmt, 0);
  fact.target = sqlite3_column_int64(stmt, 1);
  fact.student_id = sqlite3_column_int64(stmt, 2);
  fact.reason = Text(stmt, 3);
  auto at = ParseInstant(Text(stmt, 4));
  fact.recorded_at = at.ok() ? *at : 0;
  fact.recorded_by = sqlite3_column_int64(stmt, 5);
  return fact;
}

constexpr const char* kHabitColumns =
    "id, student_id, habit_id, level_id, observed_on, recorded_at, recorded_by, note";

HabitFact ReadHabit(sqlite3_stmt* stmt) {
  HabitFact fact;
  fact.id = sqlite3_column_int64(stmt, 0);
  fact.student_id = sqlite3_column_int64(stmt, 1);
  fact.habit_id = Text(stmt, 2);
  fact.level_id = Text(stmt, 3);
  auto day = ParseDate(Text(stmt, 4));
  fact.observed_on = day.ok() ? *day : 0;
  auto at = ParseInstant(Text(stmt, 5));
  fact.recorded_at = at.ok() ? *at : 0;
  fact.recorded_by = sqlite3_column_int64(stmt, 6);
  fact.note = Text(stmt, 7);
  return fact;
}

constexpr const char* kAwardColumns =
    "id, student_id, badge_code, action, recorded_at, recorded_by, reason, explanation";

AwardFact ReadAward(sqlite3_stmt* stmt) {
  AwardFact fact;
  fact.id = sqlite3_column_int64(stmt, 0);
  fact.student_id = sqlite3_column_int64(stmt, 1);
  fact.badge_code = Text(stmt, 2);
  fact.action = ParseAwardAction(Text(stmt, 3)).value_or(AwardAction::kProposed);
  auto at = ParseInstant(Text(stmt, 4));
  fact.recorded_at = at.ok() ? *at : 0;
  if (sqlite3_column_type(stmt, 5) != SQLITE_NULL) fact.recorded_by = sqlite3_column_int64(stmt, 5);
  fact.reason = Text(stmt, 6);
  fact.explanation_json = Text(stmt, 7);
  return fact;
}

constexpr const char* kRatingColumns =
    "id, student_id, cpe_id, indicator_id, level_id, demonstrated_on, recorded_at, recorded_by, "
    "kind, note, artifact_ref, corrects, assessment_item_id";

// The two queries of a fact table's reader (ReadRows): facts after an id, of
// one student (bound second) or of everyone. Built once per table and kept:
// Prepare caches statements by the address of their text.
struct FactQueries {
  FactQueries(const char* columns, const char* table)
      : for_student(std::string("SELECT ") + columns + " FROM " + table +
                    " WHERE id > ? AND student_id = ? ORDER BY id"),
        for_all(std::string("SELECT ") + columns + " FROM " + table + " WHERE id > ? ORDER BY id") {
  }
  std::string for_student;
  std::string for_all;
};

}  // namespace

// Facts with ids after `after`, of one student (`sql_for_student` binds the
// student second) or of everyone.
template <typename T>
Result<std::vector<T>> SqliteStore::ReadRows(const char* sql_for_student, const char* sql_for_all,
                                             std::optional<Id> student, FactId after,
                                             T (*read)(sqlite3_stmt*), const char* what) {
  Statement s = Prepare(student ? sql_for_student : sql_for_all);
  s.Bind(1, after);
  if (student) s.Bind(2, *student);
  std::vector<T> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.push_back(read(s.get()));
  if (rc != SQLITE_DONE) return Error(what);
  return out;
}

Result<std::optional<RatingFact>> SqliteStore::FindRating(FactId id) {
  static const std::string sql =
      std::string("SELECT ") + kRatingColumns + " FROM ratings WHERE id = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<RatingFact>{};
  if (rc != SQLITE_ROW) return Error("reading rating");
  return std::optional<RatingFact>(ReadRating(s.get()));
}

Status SqliteStore::ForEachRating(std::optional<Id> student,
                                  const std::function<void(const RatingFact&)>& fn) {
  static const std::string all =
      std::string("SELECT ") + kRatingColumns + " FROM ratings ORDER BY id";
  static const std::string one =
      std::string("SELECT ") + kRatingColumns + " FROM ratings WHERE student_id = ? ORDER BY id";
  Statement s = Prepare(student ? one.c_str() : all.c_str());
  if (student) s.Bind(1, *student);
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) fn(ReadRating(s.get()));
  if (rc != SQLITE_DONE) return Error("reading ratings");
  return Status::Ok();
}

Result<std::vector<VoidFact>> SqliteStore::Voids(std::optional<Id> student) {
  return ReadVoids(student, 0);
}

Result<std::vector<VoidFact>> SqliteStore::ReadVoids(std::optional<Id> student, FactId after) {
  static const FactQueries queries(kVoidColumns, "voids");
  return ReadRows<VoidFact>(queries.for_student.c_str(), queries.for_all.c_str(), student, after,
                            ReadVoid, "reading voids");
}

Result<std::vector<HabitFact>> SqliteStore::Habits(std::optional<Id> student) {
  return ReadHabits(student, 0);
}

Result<std::vector<HabitFact>> SqliteStore::ReadHabits(std::optional<Id> student, FactId after) {
  static const FactQueries queries(kHabitColumns, "habits");
  return ReadRows<HabitFact>(queries.for_student.c_str(), queries.for_all.c_str(), student, after,
                             ReadHabit, "reading habits");
}

Result<std::vector<AwardFact>> SqliteStore::Awards(std::optional<Id> student) {
  return ReadAwards(student, 0);
}

Result<std::vector<AwardFact>> SqliteStore::ReadAwards(std::optional<Id> student, FactId after) {
  static const FactQueries queries(kAwardColumns, "awards");
  return ReadRows<AwardFact>(queries.for_student.c_str(), queries.for_all.c_str(), student, after,
                             ReadAward, "reading awards");
}

Result<std::vector<RatingFact>> SqliteStore::RatingsAfter(FactId after) {
  static const FactQueries queries(kRatingColumns, "ratings");
  return ReadRows<RatingFact>(nullptr, queries.for_all.c_str(), std::nullopt, after, ReadRating,
                              "reading ratings");
}

Result<std::vector<VoidFact>> SqliteStore::VoidsAfter(FactId after) {
  return ReadVoids(std::nullopt, after);
}

Result<std::vector<AwardFact>> SqliteStore::AwardsAfter(FactId after) {
  return ReadAwards(std::nullopt, after);
}

Result<std::int64_t> SqliteStore::LatestCatalogId() {
  Statement s = Prepare("SELECT COALESCE(MAX(id), 0) FROM catalog_versions");
  if (s.Step() != SQLITE_ROW) return Error("reading catalog version");
  return static_cast<std::int64_t>(sqlite3_column_int64(s.get(), 0));
}

Result<ChangeMarks> SqliteStore::Marks() {
  Statement s = Prepare(
      "SELECT (SELECT COALESCE(MAX(id), 0) FROM ratings), (SELECT COALESCE(MAX(id), 0) FROM "
      "voids), "
      "(SELECT COALESCE(MAX(id), 0) FROM awards), (SELECT COALESCE(MAX(id), 0) FROM habits), "
      "(SELECT COALESCE(MAX(id), 0) FROM catalog_versions), "
      "(SELECT n FROM change_counters WHERE name = 'roster'), "
      "(SELECT n FROM change_counters WHERE name = 'settings'), "
      "(SELECT n FROM change_counters WHERE name = 'access')");
  if (s.Step() != SQLITE_ROW) return Error("reading change marks");
  ChangeMarks marks;
  marks.rating = sqlite3_column_int64(s.get(), 0);
  marks.void_fact = sqlite3_column_int64(s.get(), 1);
  marks.award = sqlite3_column_int64(s.get(), 2);
  marks.habit = sqlite3_column_int64(s.get(), 3);
  marks.catalog = sqlite3_column_int64(s.get(), 4);
  marks.roster = sqlite3_column_int64(s.get(), 5);
  marks.settings = sqlite3_column_int64(s.get(), 6);
  marks.access = sqlite3_column_int64(s.get(), 7);
  return marks;
}

Result<std::vector<HabitFact>> SqliteStore::HabitsAfter(FactId after) {
  return ReadHabits(std::nullopt, after);
}

namespace {

Account ReadAccount(sqlite3_stmt* stmt) {
  Account a;
  a.id = sqlite3_column_int64(stmt, 0);
  a.person_id = sqlite3_column_int64(stmt, 1);
  a.username = Text(stmt, 2);
  a.password_hash = Text(stmt, 3);
  a.disabled = sqlite3_column_int(stmt, 4) != 0;
  auto at = ParseInstant(Text(stmt, 5));
  a.created_at = at.ok() ? *at : 0;
  return a;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

ApiToken ReadToken(sqlite3_stmt* stmt) {
  ApiToken t;
  t.id = sqlite3_column_int64(stmt, 0);
  t.account_id = sqlite3_column_int64(stmt, 1);
  t.name = Text(stmt, 2);
  t.token_hash = Text(stmt, 3);
  t.scopes = SplitScopes(Text(stmt, 4));
  auto at = ParseInstant(Text(stmt, 5));
  t.created_at = at.ok() ? *at : 0;
  if (sqlite3_column_type(stmt, 6) != SQLITE_NULL) {
    auto revoked = ParseInstant(Text(stmt, 6));
    t.revoked_at = revoked.ok() ? *revoked : 0;
  }
  return t;
}

constexpr const char* kAccountColumns =
    "SELECT id, person_id, username, password_hash, disabled, created_at FROM accounts";
constexpr const char* kTokenColumns =
    "SELECT id, account_id, name, token_hash, scopes, created_at, revoked_at FROM api_tokens";

}  // namespace

Result<Id> SqliteStore::InsertAccount(const Account& account) {
  Statement s = Prepare(
      "INSERT INTO accounts(person_id, username, password_hash, disabled, created_at) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, account.person_id)
      .Bind(2, account.username)
      .Bind(3, account.password_hash)
      .Bind(4, std::int64_t{account.disabled ? 1 : 0})
      .Bind(5, FormatInstant(account.created_at));
  return InsertAndGetId(s, "account '" + account.username + "'");
}

Result<std::optional<Account>> SqliteStore::FindAccountByUsername(std::string_view username) {
  static const std::string sql = std::string(kAccountColumns) + " WHERE username = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, username);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Account>{};
  if (rc != SQLITE_ROW) return Error("reading account");
  return std::optional<Account>(ReadAccount(s.get()));
}

Result<std::optional<Account>> SqliteStore::FindAccount(Id id) {
  static const std::string sql = std::string(kAccountColumns) + " WHERE id = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, id);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Account>{};
  if (rc != SQLITE_ROW) return Error("reading account");
  return std::optional<Account>(ReadAccount(s.get()));
}

Result<std::vector<Account>> SqliteStore::Accounts() {
  static const std::string sql = std::string(kAccountColumns) + " ORDER BY id";
  Statement s = Prepare(sql.c_str());
  std::vector<Account> out;
  while (s.Step() == SQLITE_ROW) out.push_back(ReadAccount(s.get()));
  return out;
}

Status SqliteStore::SetPasswordHash(Id account, std::string_view hash) {
  Statement s = Prepare("UPDATE accounts SET password_hash = ? WHERE id = ?");
  s.Bind(1, hash).Bind(2, account);
  if (s.Step() != SQLITE_DONE) return Error("saving password");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no account " + std::to_string(account));
  return Status::Ok();
}

Status SqliteStore::SetPersonRole(Id person, PersonRole role) {
  Statement s = Prepare("UPDATE people SET role = ? WHERE id = ?");
  s.Bind(1, PersonRoleName(role)).Bind(2, person);
  if (!s.valid() || s.Step() != SQLITE_DONE) return Error("saving role");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no person " + std::to_string(person));
  return Status::Ok();
}

Status SqliteStore::SetSectionBadges(Id section, const std::vector<std::string>& badges) {
  return Transact([&]() -> Status {
    Statement exists = Prepare("SELECT 1 FROM sections WHERE id = ?");
    exists.Bind(1, section);
    if (!exists.valid()) return Error("reading section");
    if (exists.Step() != SQLITE_ROW) {
      return Status::NotFound("no section " + std::to_string(section));
    }
    Statement clear = Prepare("DELETE FROM section_badges WHERE section_id = ?");
    clear.Bind(1, section);
    if (!clear.valid() || clear.Step() != SQLITE_DONE) return Error("saving section badges");
    for (const std::string& code : badges) {
      Statement add =
          Prepare("INSERT OR IGNORE INTO section_badges(section_id, badge_code) VALUES (?, ?)");
      add.Bind(1, section).Bind(2, code);
      if (!add.valid() || add.Step() != SQLITE_DONE) return Error("saving section badges");
    }
    return Status::Ok();
  });
}

Status SqliteStore::SetAccountDisabled(Id account, bool disabled) {
  Statement s = Prepare("UPDATE accounts SET disabled = ? WHERE id = ?");
  s.Bind(1, std::int64_t{disabled ? 1 : 0}).Bind(2, account);
  if (s.Step() != SQLITE_DONE) return Error("saving account");
  if (sqlite3_changes(db_) == 0) return Status::NotFound("no account " + std::to_string(account));
  return Status::Ok();
}

Status SqliteStore::InsertSession(const Session& session) {
  Statement s = Prepare(
      "INSERT INTO sessions(token_hash, account_id, csrf_token, created_at, expires_at) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, session.token_hash)
      .Bind(2, session.account_id)
      .Bind(3, session.csrf_token)
      .Bind(4, FormatInstant(session.created_at))
      .Bind(5, FormatInstant(session.expires_at));
  if (s.Step() != SQLITE_DONE) return Error("saving session");
  return Status::Ok();
}

Result<std::optional<Session>> SqliteStore::FindSession(std::string_view token_hash) {
  Statement s = Prepare(
      "SELECT token_hash, account_id, csrf_token, created_at, expires_at FROM sessions "
      "WHERE token_hash = ?");
  s.Bind(1, token_hash);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<Session>{};
  if (rc != SQLITE_ROW) return Error("reading session");
  Session session;
  session.token_hash = Text(s.get(), 0);
  session.account_id = sqlite3_column_int64(s.get(), 1);
  session.csrf_token = Text(s.get(), 2);
  auto created = ParseInstant(Text(s.get(), 3));
  auto expires = ParseInstant(Text(s.get(), 4));
  session.created_at = created.ok() ? *created : 0;
  session.expires_at = expires.ok() ? *expires : 0;
  return std::optional<Session>(std::move(session));
}

Status SqliteStore::DeleteSession(std::string_view token_hash) {
  Statement s = Prepare("DELETE FROM sessions WHERE token_hash = ?");
  s.Bind(1, token_hash);
  if (s.Step() != SQLITE_DONE) return Error("deleting session");
  return Status::Ok();
}

Status SqliteStore::DeleteSessionsOf(Id account) {
  Statement s = Prepare("DELETE FROM sessions WHERE account_id = ?");
  s.Bind(1, account);
  if (s.Step() != SQLITE_DONE) return Error("deleting sessions");
  return Status::Ok();
}

Result<Id> SqliteStore::InsertApiToken(const ApiToken& token) {
  Statement s = Prepare(
      "INSERT INTO api_tokens(account_id, name, token_hash, scopes, created_at) "
      "VALUES (?,?,?,?,?)");
  s.Bind(1, token.account_id)
      .Bind(2, token.name)
      .Bind(3, token.token_hash)
      .Bind(4, JoinScopes(token.scopes))
      .Bind(5, FormatInstant(token.created_at));
  return InsertAndGetId(s, "API token");
}

Result<std::optional<ApiToken>> SqliteStore::FindApiToken(std::string_view token_hash) {
  static const std::string sql = std::string(kTokenColumns) + " WHERE token_hash = ?";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, token_hash);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<ApiToken>{};
  if (rc != SQLITE_ROW) return Error("reading API token");
  return std::optional<ApiToken>(ReadToken(s.get()));
}

Result<std::vector<ApiToken>> SqliteStore::ApiTokensOf(Id account) {
  static const std::string sql = std::string(kTokenColumns) + " WHERE account_id = ? ORDER BY id";
  Statement s = Prepare(sql.c_str());
  s.Bind(1, account);
  std::vector<ApiToken> out;
  while (s.Step() == SQLITE_ROW) out.push_back(ReadToken(s.get()));
  return out;
}

Status SqliteStore::RevokeApiToken(Id token, Instant at) {
  Statement s = Prepare("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  s.Bind(1, FormatInstant(at)).Bind(2, token);
  if (s.Step() != SQLITE_DONE) return Error("revoking API token");
  if (sqlite3_changes(db_) == 0)
    return Status::NotFound("no active API token " + std::to_string(token));
  return Status::Ok();
}

Result<LoginAttempt> SqliteStore::BeginLoginAttempt(std::string_view username,
                                                    std::string_view address, Instant now,
                                                    const LoginLimits& limits) {
  LoginAttempt attempt;
  const std::string since = FormatInstant(now - limits.window);
  // Counts and the reservation in one IMMEDIATE transaction: the write lock
  // is held from the first count, so a parallel attempt (any server) waits
  // and then sees this one.
  Status status = Transact([&]() -> Status {
    auto oldest_plus_window = [&](Statement& s) {
      auto oldest = ParseInstant(Text(s.get(), 1));
      return std::max<Instant>(1, (oldest.ok() ? *oldest : now) + limits.window - now);
    };
    Statement by_address =
        Prepare("SELECT COUNT(*), MIN(at) FROM login_failures WHERE address = ? AND at >= ?");
    by_address.Bind(1, address).Bind(2, since);
    if (by_address.Step() != SQLITE_ROW) return Error("reading login failures");
    if (sqlite3_column_int(by_address.get(), 0) >= limits.per_address) {
      attempt.retry_after = oldest_plus_window(by_address);
      return Status::Ok();
    }
    Statement known = Prepare(
        "SELECT 1 FROM login_addresses WHERE username = ? AND address = ? "
        "AND at >= ?");
    known.Bind(1, username).Bind(2, address).Bind(3, FormatInstant(now - limits.remember_address));
    const bool good_address = known.Step() == SQLITE_ROW;
    // From a good address only its own failures count: others' guesses do
    // not lock the owner out.
    Statement by_account =
        good_address ? Prepare(
                           "SELECT COUNT(*), MIN(at) FROM login_failures WHERE username = ? "
                           "AND at >= ? AND address = ?")
                     : Prepare(
                           "SELECT COUNT(*), MIN(at) FROM login_failures WHERE username = ? "
                           "AND at >= ?");
    by_account.Bind(1, username).Bind(2, since);
    if (good_address) by_account.Bind(3, address);
    if (by_account.Step() != SQLITE_ROW) return Error("reading login failures");
    if (sqlite3_column_int(by_account.get(), 0) >= limits.per_account) {
      attempt.retry_after = oldest_plus_window(by_account);
      return Status::Ok();
    }
    Statement reserve =
        Prepare("INSERT INTO login_failures(username, at, address) VALUES (?, ?, ?)");
    reserve.Bind(1, username).Bind(2, FormatInstant(now)).Bind(3, address);
    if (reserve.Step() != SQLITE_DONE) return Error("recording login attempt");
    attempt.allowed = true;
    attempt.id = sqlite3_last_insert_rowid(db_);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return attempt;
}

Status SqliteStore::FinishLoginAttempt(const LoginAttempt& attempt, bool succeeded,
                                       std::string_view username, std::string_view address,
                                       Instant now) {
  if (!succeeded || !attempt.allowed) return Status::Ok();  // the reservation stays a failure
  return Transact([&]() -> Status {
    // The owner's own typos from this address are forgiven; failures from
    // elsewhere stay counted.
    Statement clear = Prepare(
        "DELETE FROM login_failures WHERE rowid = ? OR (username = ? AND "
        "address = ?)");
    clear.Bind(1, attempt.id).Bind(2, username).Bind(3, address);
    if (clear.Step() != SQLITE_DONE) return Error("clearing login failures");
    Statement remember = Prepare(
        "INSERT INTO login_addresses(username, address, at) VALUES (?, ?, ?) "
        "ON CONFLICT(username, address) DO UPDATE SET at = excluded.at");
    remember.Bind(1, username).Bind(2, address).Bind(3, FormatInstant(now));
    if (remember.Step() != SQLITE_DONE) return Error("remembering sign-in address");
    return Status::Ok();
  });
}

Status SqliteStore::AppendAudit(std::span<const AuditEntry> entries) {
  return Transact([&]() -> Status {
    for (const AuditEntry& entry : entries) CAIRN_RETURN_IF_ERROR(AppendOneAudit(entry));
    return Status::Ok();
  });
}

Status SqliteStore::AppendOneAudit(const AuditEntry& entry) {
  Statement s = Prepare(
      "INSERT INTO audit_log(at, actor_person_id, action, resource, student_id, request_id, "
      "status, detail) VALUES (?,?,?,?,?,?,?,?)");
  s.Bind(1, FormatInstant(entry.at))
      .BindOptional(2, entry.actor_person_id)
      .Bind(3, entry.action)
      .Bind(4, entry.resource)
      .BindOptional(5, entry.student_id)
      .Bind(6, entry.request_id)
      .Bind(7, std::int64_t{entry.status})
      .Bind(8, entry.detail);
  if (s.Step() != SQLITE_DONE) return Error("writing audit log");
  const Id id = sqlite3_last_insert_rowid(db_);
  for (Id student : entry.students) {
    Statement link = Prepare("INSERT INTO audit_students(audit_id, student_id) VALUES (?, ?)");
    link.Bind(1, id).Bind(2, student);
    if (link.Step() != SQLITE_DONE) return Error("writing audit log");
  }
  return Status::Ok();
}

Result<std::vector<AuditEntry>> SqliteStore::Audit(std::optional<Id> student, int limit) {
  constexpr const char* kColumns =
      "SELECT id, at, actor_person_id, action, resource, student_id, request_id, status, detail "
      "FROM audit_log ";
  static const std::string kForStudent =
      std::string(kColumns) +
      "WHERE id IN (SELECT id FROM audit_log WHERE student_id = ?1 UNION "
      "SELECT audit_id FROM audit_students WHERE student_id = ?1) ORDER BY id DESC LIMIT ?2";
  static const std::string kAll = std::string(kColumns) + "ORDER BY id DESC LIMIT ?1";
  Statement s = Prepare(student ? kForStudent.c_str() : kAll.c_str());
  if (student) {
    s.Bind(1, *student).Bind(2, std::int64_t{limit});
  } else {
    s.Bind(1, std::int64_t{limit});
  }
  std::vector<AuditEntry> out;
  while (s.Step() == SQLITE_ROW) {
    AuditEntry e;
    e.id = sqlite3_column_int64(s.get(), 0);
    auto at = ParseInstant(Text(s.get(), 1));
    e.at = at.ok() ? *at : 0;
    if (sqlite3_column_type(s.get(), 2) != SQLITE_NULL)
      e.actor_person_id = sqlite3_column_int64(s.get(), 2);
    e.action = Text(s.get(), 3);
    e.resource = Text(s.get(), 4);
    if (sqlite3_column_type(s.get(), 5) != SQLITE_NULL)
      e.student_id = sqlite3_column_int64(s.get(), 5);
    e.request_id = Text(s.get(), 6);
    e.status = sqlite3_column_int(s.get(), 7);
    e.detail = Text(s.get(), 8);
    out.push_back(std::move(e));
  }
  for (AuditEntry& e : out) {
    Statement students =
        Prepare("SELECT student_id FROM audit_students WHERE audit_id = ? ORDER BY rowid");
    students.Bind(1, e.id);
    while (students.Step() == SQLITE_ROW)
      e.students.push_back(sqlite3_column_int64(students.get(), 0));
  }
  return out;
}

}  // namespace cairn
