// The PostgreSQL schema, as versioned migrations with the same numbers and
// meaning as the SQLite engine's (sqlite_store.cpp). Each runs once, in
// order, in its own transaction. Never edit a shipped migration: add the
// next one. Not a public header.
//
// Types: BIGSERIAL ids; instants and dates as TEXT in the SQLite engine's
// formats (equal text means equal instant, and text order is time order);
// BOOLEAN flags; JSON kept as TEXT, byte for byte (credential bodies are
// signed). Tables whose SQLite rows are ordered by rowid get an `id`
// column for that order.
#pragma once

#include <array>

namespace cairn {

inline constexpr auto kPgMigrations = std::to_array<const char*>({R"sql(
-- Append-only tables: statement triggers refuse UPDATE, DELETE and TRUNCATE
-- (TRUNCATE fires no row trigger), and PUBLIC may not do them.
CREATE FUNCTION cairn_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
END $$;
CREATE PROCEDURE cairn_append_only(tbl regclass, message text) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE OR TRUNCATE ON %s '
                 'FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse(%L)',
                 tbl::text || '_append_only', tbl, message);
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM PUBLIC', tbl);
END $$;
CREATE TABLE districts (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE schools (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  name TEXT NOT NULL
);
CREATE TABLE courses (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  title TEXT NOT NULL
);
CREATE TABLE sections (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  school_id BIGINT NOT NULL REFERENCES schools(id),
  course_id BIGINT NOT NULL REFERENCES courses(id),
  title TEXT NOT NULL,
  term TEXT NOT NULL DEFAULT ''
);
CREATE TABLE section_badges (
  id BIGSERIAL NOT NULL,
  section_id BIGINT NOT NULL REFERENCES sections(id),
  badge_code TEXT NOT NULL,
  PRIMARY KEY (section_id, badge_code)
);
CREATE TABLE people (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('student','teacher','guardian','school_leader',
                                     'district_leader','admin')),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  district_id BIGINT NOT NULL REFERENCES districts(id),
  school_id BIGINT REFERENCES schools(id),
  grade TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL DEFAULT '',
  race_ethnicity TEXT NOT NULL DEFAULT '',
  english_learner BOOLEAN,
  disability BOOLEAN,
  economically_disadvantaged BOOLEAN
);
CREATE TABLE enrollments (
  id BIGSERIAL NOT NULL,
  section_id BIGINT NOT NULL REFERENCES sections(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  is_teacher BOOLEAN NOT NULL,
  PRIMARY KEY (section_id, person_id)
);
CREATE INDEX enrollments_person ON enrollments(person_id);
CREATE TABLE guardian_links (
  id BIGSERIAL NOT NULL,
  guardian_id BIGINT NOT NULL REFERENCES people(id),
  student_id BIGINT NOT NULL REFERENCES people(id),
  relationship TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (guardian_id, student_id)
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE catalog_versions (
  id BIGSERIAL PRIMARY KEY,
  loaded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE ratings (
  id BIGSERIAL PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES people(id),
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  level_id TEXT NOT NULL,
  demonstrated_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by BIGINT NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind IN ('formative','summative','performance_task',
                                     'portfolio_item','external_assessment','outside_school')),
  note TEXT NOT NULL DEFAULT '',
  artifact_ref TEXT NOT NULL DEFAULT '',
  corrects BIGINT REFERENCES ratings(id)
);
CREATE INDEX ratings_student ON ratings(student_id);
CREATE TABLE voids (
  id BIGSERIAL PRIMARY KEY,
  target BIGINT NOT NULL UNIQUE REFERENCES ratings(id),
  student_id BIGINT NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL CHECK (reason <> ''),
  recorded_at TEXT NOT NULL,
  recorded_by BIGINT NOT NULL REFERENCES people(id)
);
CREATE INDEX voids_student ON voids(student_id);
CREATE TABLE habits (
  id BIGSERIAL PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES people(id),
  habit_id TEXT NOT NULL,
  level_id TEXT NOT NULL,
  observed_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by BIGINT NOT NULL REFERENCES people(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX habits_student ON habits(student_id);
CREATE TABLE awards (
  id BIGSERIAL PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES people(id),
  badge_code TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('proposed','confirmed','revoked')),
  recorded_at TEXT NOT NULL,
  recorded_by BIGINT REFERENCES people(id),
  reason TEXT NOT NULL DEFAULT '',
  explanation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX awards_student ON awards(student_id);
CALL cairn_append_only('ratings', 'ratings are append-only');
CALL cairn_append_only('voids', 'voids are append-only');
CALL cairn_append_only('habits', 'habits are append-only');
CALL cairn_append_only('awards', 'awards are append-only');
CALL cairn_append_only('catalog_versions', 'catalog versions are append-only');
)sql",
                                                                  R"sql(
CREATE TABLE accounts (
  id BIGSERIAL PRIMARY KEY,
  person_id BIGINT NOT NULL UNIQUE REFERENCES people(id),
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE TABLE api_tokens (
  id BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE login_failures (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  actor_person_id BIGINT,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  student_id BIGINT,
  request_id TEXT NOT NULL,
  status INTEGER NOT NULL
);
CREATE INDEX audit_log_student ON audit_log(student_id, id);
CALL cairn_append_only('audit_log', 'the audit log is append-only');
)sql",
                                                                  R"sql(
-- Counters a cache reads to learn, in one query, whether the roster or the
-- settings changed. Roster triggers fire once per statement (a bulk import
-- bumps the counter once per batch, not once per row).
CREATE TABLE change_counters (
  name TEXT PRIMARY KEY,
  n BIGINT NOT NULL
);
INSERT INTO change_counters(name, n) VALUES ('roster', 0), ('settings', 0);
CREATE FUNCTION cairn_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_counters SET n = n + 1 WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
CREATE TRIGGER people_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER enrollments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enrollments
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER guardian_links_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON guardian_links FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER sections_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sections
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER section_badges_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON section_badges FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER schools_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON schools
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER courses_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON courses
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER districts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
  FOR EACH ROW EXECUTE FUNCTION cairn_bump('settings');
)sql",
                                                                  R"sql(
-- Portfolio: files, submissions, their versions and what happens to them.
-- All append-only; state is folded from portfolio_events.
CREATE TABLE artifacts (
  id BIGSERIAL PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES people(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size BIGINT NOT NULL CHECK (size >= 0),
  mime TEXT NOT NULL,
  name TEXT NOT NULL,
  uploaded_by BIGINT NOT NULL REFERENCES people(id),
  uploaded_at TEXT NOT NULL);
CREATE INDEX artifacts_student ON artifacts(student_id);
CREATE INDEX artifacts_sha256 ON artifacts(sha256);
CREATE TABLE submissions (
  id BIGSERIAL PRIMARY KEY,
  student_id BIGINT NOT NULL REFERENCES people(id),
  badge_code TEXT NOT NULL,
  title TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL);
CREATE INDEX submissions_student ON submissions(student_id);
CREATE TABLE submission_versions (
  id BIGSERIAL PRIMARY KEY,
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  number INTEGER NOT NULL,
  author BIGINT NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL,
  reflection TEXT NOT NULL,
  tags TEXT NOT NULL,       -- JSON [{"cpe","indicator"}]
  artifacts TEXT NOT NULL,  -- JSON [artifact id]
  UNIQUE (submission_id, number));
CREATE TABLE portfolio_events (
  id BIGSERIAL PRIMARY KEY,
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  version_id BIGINT REFERENCES submission_versions(id),
  kind TEXT NOT NULL,
  actor BIGINT NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT NOT NULL);      -- JSON: anchor, cpe, level
CREATE INDEX portfolio_events_submission ON portfolio_events(submission_id);
CREATE TABLE calibration_sessions (
  id BIGSERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  badge_code TEXT NOT NULL,
  cpes TEXT NOT NULL,       -- JSON [code]
  items TEXT NOT NULL,      -- JSON [version id]
  raters TEXT NOT NULL,     -- JSON [person id]
  created_by BIGINT NOT NULL REFERENCES people(id),
  created_at TEXT NOT NULL);
CREATE TABLE calibration_events (
  id BIGSERIAL PRIMARY KEY,
  session_id BIGINT NOT NULL REFERENCES calibration_sessions(id),
  kind TEXT NOT NULL,
  actor BIGINT NOT NULL REFERENCES people(id),
  at TEXT NOT NULL,
  item INTEGER NOT NULL,
  cpe TEXT NOT NULL,
  level TEXT NOT NULL,
  note TEXT NOT NULL);
CREATE INDEX calibration_events_session ON calibration_events(session_id);
CALL cairn_append_only('artifacts', 'artifacts are append-only');
CALL cairn_append_only('submissions', 'submissions are append-only');
CALL cairn_append_only('submission_versions', 'submission_versions are append-only');
CALL cairn_append_only('portfolio_events', 'portfolio_events are append-only');
CALL cairn_append_only('calibration_sessions', 'calibration_sessions are append-only');
CALL cairn_append_only('calibration_events', 'calibration_events are append-only');
)sql",
                                                                  R"sql(
-- Credentials: issuer profiles and keys are configuration; issued
-- credentials and share choices are append-only facts.
CREATE TABLE issuer_profiles (
  district_id BIGINT PRIMARY KEY REFERENCES districts(id),
  name TEXT NOT NULL, url TEXT NOT NULL, email TEXT NOT NULL,
  image TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE signing_keys (
  id BIGSERIAL PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  algorithm TEXT NOT NULL CHECK (algorithm IN ('Ed25519', 'P-256')),
  key_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  sealed_private TEXT NOT NULL,
  created_at TEXT NOT NULL,
  retired_at TEXT,
  UNIQUE (district_id, key_id));
CREATE TRIGGER signing_keys_keep BEFORE DELETE OR TRUNCATE ON signing_keys
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_refuse('signing keys are kept so old credentials verify');
REVOKE DELETE, TRUNCATE ON signing_keys FROM PUBLIC;
CREATE TABLE credentials (
  id BIGSERIAL PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  award_id BIGINT NOT NULL UNIQUE REFERENCES awards(id),
  student_id BIGINT NOT NULL REFERENCES people(id),
  district_id BIGINT NOT NULL REFERENCES districts(id),
  badge_code TEXT NOT NULL,
  status_index BIGINT NOT NULL,
  issued_at TEXT NOT NULL,
  body TEXT NOT NULL,
  CONSTRAINT credentials_status_entry UNIQUE (district_id, status_index));
CREATE INDEX credentials_student ON credentials(student_id);
CREATE TABLE credential_shares (
  id BIGSERIAL PRIMARY KEY,
  credential_id BIGINT NOT NULL REFERENCES credentials(id),
  public BOOLEAN NOT NULL,
  actor BIGINT NOT NULL REFERENCES people(id),
  at TEXT NOT NULL);
CREATE INDEX credential_shares_credential ON credential_shares(credential_id, id);
CALL cairn_append_only('credentials', 'credentials are append-only');
CALL cairn_append_only('credential_shares', 'credential_shares are append-only');
)sql",
                                                                  R"sql(
-- Sign-in caches read this to learn that a session ended, an account changed
-- or a token was revoked (new sessions need no notice: they are not cached).
INSERT INTO change_counters(name, n) VALUES ('access', 0);
CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION cairn_bump('access');
CREATE TRIGGER accounts_changed AFTER UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION cairn_bump('access');
CREATE TRIGGER api_tokens_changed AFTER UPDATE OR DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION cairn_bump('access');
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
  id BIGSERIAL PRIMARY KEY,
  audit_id BIGINT NOT NULL REFERENCES audit_log(id),
  student_id BIGINT NOT NULL
);
CREATE INDEX audit_students_student ON audit_students(student_id, audit_id);
CREATE INDEX audit_students_audit ON audit_students(audit_id);
CALL cairn_append_only('audit_students', 'the audit log is append-only');
)sql",
                                                                  R"sql(
-- Roster import (OneRoster): people and enrollments become inactive instead
-- of being deleted (their facts stay); enrollments and terms keep their
-- sourced ids; academic sessions are kept as imported.
ALTER TABLE people ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE enrollments ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE enrollments ADD COLUMN sourced_id TEXT;
CREATE UNIQUE INDEX enrollments_sourced_id ON enrollments(sourced_id)
  WHERE sourced_id IS NOT NULL;
ALTER TABLE sections ADD COLUMN term_sourced_id TEXT NOT NULL DEFAULT '';
CREATE TABLE academic_sessions (
  id BIGSERIAL PRIMARY KEY,
  sourced_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  type TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  parent_sourced_id TEXT NOT NULL DEFAULT '',
  school_year TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER academic_sessions_changed AFTER INSERT OR UPDATE ON academic_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION cairn_bump('roster');
)sql",
                                                                  R"sql(
-- Several revocation status lists per district (issue #12): an entry is
-- (status_list, status_index), existing credentials are in list 0.
ALTER TABLE credentials ADD COLUMN status_list INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credentials DROP CONSTRAINT credentials_status_entry;
ALTER TABLE credentials ADD CONSTRAINT credentials_status_entry
  UNIQUE (district_id, status_list, status_index);
-- How full each list is, so issuing never counts a list's entries.
CREATE TABLE status_lists (
  district_id BIGINT NOT NULL REFERENCES districts(id),
  list INTEGER NOT NULL,
  taken BIGINT NOT NULL,
  PRIMARY KEY (district_id, list));
INSERT INTO status_lists(district_id, list, taken)
  SELECT district_id, 0, COUNT(*) FROM credentials GROUP BY district_id;
CREATE FUNCTION cairn_fill_status_list() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO status_lists(district_id, list, taken) VALUES (NEW.district_id, NEW.status_list, 1)
    ON CONFLICT (district_id, list) DO UPDATE SET taken = status_lists.taken + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER credentials_fill_status_list AFTER INSERT ON credentials
  FOR EACH ROW EXECUTE FUNCTION cairn_fill_status_list();
-- Status lists read the revocations only.
CREATE INDEX awards_revoked ON awards(student_id, badge_code) WHERE action = 'revoked';
)sql",
                                                                  R"sql(
-- Standards frameworks imported from CASE packages (interop/case): every
-- version kept whole (the package as imported) with its items and
-- associations; the crosswalk between CPEs and CFItems is a history of link
-- and unlink facts, the latest per pair in force. All append-only.
CREATE TABLE case_frameworks (
  id BIGSERIAL PRIMARY KEY,
  document_identifier TEXT NOT NULL,
  uri TEXT NOT NULL,
  title TEXT NOT NULL,
  creator TEXT NOT NULL,
  publisher TEXT NOT NULL,
  version TEXT NOT NULL,
  version_at TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by BIGINT REFERENCES people(id),
  package TEXT NOT NULL,
  UNIQUE (document_identifier, content_sha256));
CREATE INDEX case_frameworks_version ON case_frameworks(document_identifier, version_at, id);
CREATE TABLE case_items (
  framework_id BIGINT NOT NULL REFERENCES case_frameworks(id),
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
  framework_id BIGINT NOT NULL REFERENCES case_frameworks(id),
  identifier TEXT NOT NULL,
  association_type TEXT NOT NULL,
  origin_identifier TEXT NOT NULL,
  origin_uri TEXT NOT NULL,
  destination_identifier TEXT NOT NULL,
  destination_uri TEXT NOT NULL,
  sequence_number BIGINT,
  position INTEGER NOT NULL,
  PRIMARY KEY (framework_id, identifier));
CREATE TABLE crosswalk_facts (
  id BIGSERIAL PRIMARY KEY,
  cpe TEXT NOT NULL,
  item_identifier TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('link', 'unlink')),
  actor BIGINT REFERENCES people(id),
  at TEXT NOT NULL,
  source TEXT NOT NULL);
CREATE INDEX crosswalk_facts_pair ON crosswalk_facts(cpe, item_identifier, id);
CALL cairn_append_only('case_frameworks', 'case_frameworks are append-only');
CALL cairn_append_only('case_items', 'case_items are append-only');
CALL cairn_append_only('case_associations', 'case_associations are append-only');
CALL cairn_append_only('crosswalk_facts', 'crosswalk_facts are append-only');
)sql",
                                                                  R"sql(
-- Invitation links: one-time secrets (hashed) that let an imported person
-- choose their sign-in.
CREATE TABLE invitations (
  id BIGSERIAL PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES people(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_by BIGINT REFERENCES people(id),
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
  id BIGSERIAL NOT NULL,
  course_id BIGINT NOT NULL REFERENCES courses(id),
  badge_code TEXT NOT NULL,
  PRIMARY KEY (course_id, badge_code));
CREATE TABLE curriculum_resources (
  id BIGSERIAL PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  provider TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  added_by BIGINT NOT NULL REFERENCES people(id),
  added_at TEXT NOT NULL);
CREATE INDEX curriculum_resources_cpe ON curriculum_resources(cpe_id, id);
CREATE TABLE curriculum_resource_retirements (
  id BIGSERIAL PRIMARY KEY,
  resource_id BIGINT NOT NULL UNIQUE REFERENCES curriculum_resources(id),
  retired_by BIGINT NOT NULL REFERENCES people(id),
  retired_at TEXT NOT NULL);
CREATE TABLE assessment_items (
  id BIGSERIAL PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  badge_code TEXT NOT NULL,
  item_key TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL DEFAULT '',
  standards TEXT NOT NULL DEFAULT '[]',
  cpe_id TEXT NOT NULL,
  indicator_id TEXT NOT NULL DEFAULT '',
  added_by BIGINT NOT NULL REFERENCES people(id),
  added_at TEXT NOT NULL);
CREATE INDEX assessment_items_badge ON assessment_items(badge_code, item_key, id);
CREATE TABLE assessment_item_retirements (
  id BIGSERIAL PRIMARY KEY,
  item_id BIGINT NOT NULL UNIQUE REFERENCES assessment_items(id),
  retired_by BIGINT NOT NULL REFERENCES people(id),
  retired_at TEXT NOT NULL);
ALTER TABLE ratings ADD COLUMN assessment_item_id BIGINT REFERENCES assessment_items(id);
CALL cairn_append_only('curriculum_resources', 'curriculum_resources are append-only');
CALL cairn_append_only('curriculum_resource_retirements',
                       'curriculum_resource_retirements are append-only');
CALL cairn_append_only('assessment_items', 'assessment_items are append-only');
CALL cairn_append_only('assessment_item_retirements',
                       'assessment_item_retirements are append-only');
)sql",
                                                                  R"sql(
-- Issue #15: the journal. Every revision of a district's small planning and
-- student-owned documents (rounds, trackers, learning plans...); the newest
-- revision of a (district, stream, key) is the document. recorded_by is NULL
-- when withheld on purpose (anonymous responses).
CREATE TABLE journal (
  id BIGSERIAL PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  stream TEXT NOT NULL CHECK (stream <> ''),
  doc_key TEXT NOT NULL CHECK (doc_key <> ''),
  student_id BIGINT REFERENCES people(id),
  body TEXT NOT NULL,
  recorded_by BIGINT REFERENCES people(id),
  recorded_at TEXT NOT NULL);
CREATE INDEX journal_document ON journal(district_id, stream, doc_key, id);
CREATE INDEX journal_student ON journal(student_id, stream, id) WHERE student_id IS NOT NULL;
CALL cairn_append_only('journal', 'journal entries are append-only');
)sql",
                                                                  R"sql(
-- Issue #13: notifications, and each step of delivering them by email.
-- Both append-only; (recipient, dedupe_key) makes deriving a fact twice
-- harmless, (notification, step, attempt) lets two senders agree.
CREATE TABLE notifications (
  id BIGSERIAL PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id),
  recipient_id BIGINT NOT NULL REFERENCES people(id),
  student_id BIGINT REFERENCES people(id),
  kind TEXT NOT NULL CHECK (kind <> ''),
  dedupe_key TEXT NOT NULL CHECK (dedupe_key <> ''),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (recipient_id, dedupe_key));
CREATE INDEX notifications_recipient ON notifications(recipient_id, id);
CREATE TABLE notification_steps (
  id BIGSERIAL PRIMARY KEY,
  notification_id BIGINT NOT NULL REFERENCES notifications(id),
  step TEXT NOT NULL CHECK (step <> ''),
  attempt INTEGER NOT NULL,
  at TEXT NOT NULL,
  detail TEXT NOT NULL,
  UNIQUE (notification_id, step, attempt));
CREATE TABLE notification_marks (
  source TEXT PRIMARY KEY,
  mark BIGINT NOT NULL);
CALL cairn_append_only('notifications', 'notifications are append-only');
CALL cairn_append_only('notification_steps', 'notification_steps are append-only');
)sql"});

}  // namespace cairn
