/** Schema migrations, applied in order inside one transaction each; `user_version` records the last applied. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE consent_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('granted', 'withdrawn', 'expired')),
    policy_version TEXT,
    method TEXT NOT NULL,
    expires_at TEXT,
    time TEXT NOT NULL
  );
  CREATE INDEX consent_events_subject ON consent_events (subject, seq);
  -- Consents are an append-only event log: the current state is derived, never updated in place.
  CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
    BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
  CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
    BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;

  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    time TEXT NOT NULL,
    request_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    actor TEXT,
    subject TEXT,
    method TEXT,
    route TEXT,
    purposes TEXT NOT NULL,
    basis TEXT,
    categories TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT,
    status INTEGER,
    duration_ms REAL,
    details TEXT,
    prev_mac TEXT NOT NULL,
    mac TEXT NOT NULL
  );
  CREATE INDEX audit_log_subject ON audit_log (subject, seq);
  CREATE INDEX audit_log_request ON audit_log (request_id);
  -- Defence in depth: the application never changes or removes audit rows; verify() catches whoever does.
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    mac TEXT NOT NULL,
    head_mac TEXT NOT NULL
  );

  CREATE TABLE rights_requests (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    steps TEXT NOT NULL,
    error TEXT,
    details TEXT
  );
  CREATE INDEX rights_requests_subject ON rights_requests (subject);
  CREATE INDEX rights_requests_status ON rights_requests (status, due_at);
  `,
  // 2: the head binds the record count, the commit time and the key fingerprint (format 2). A format 1 head
  // keeps version 1 and null in the new columns until the next append replaces it.
  `
  ALTER TABLE audit_head ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE audit_head ADD COLUMN count INTEGER;
  ALTER TABLE audit_head ADD COLUMN time TEXT;
  ALTER TABLE audit_head ADD COLUMN key_id TEXT;
  -- A process still running an earlier version moves only seq, mac and head_mac: what it wrote is a format 1
  -- head, so mark it as one (a format 2 writer always changes count).
  CREATE TRIGGER audit_head_format_1_writer AFTER UPDATE ON audit_head
    WHEN NEW.seq IS NOT OLD.seq AND NEW.count IS OLD.count
    BEGIN UPDATE audit_head SET version = 1, count = NULL, time = NULL, key_id = NULL WHERE id = NEW.id; END;
  `,
  // 3: records are no longer indexed by subject as they are written: that index put every record on a page of its
  // own and cost a third of the write. The subject index is a file of its own, built in bulk off the request path
  // (see subject-index.ts); queries by subject use it up to where it has reached and scan the rest by seq.
  `
  DROP INDEX IF EXISTS audit_log_subject;
  `,
  // 4: wrapped data keys, one per data subject and key id (field encryption, crypto-shredding). The partial unique
  // index lets a subject have at most one current key whoever writes. The store's connection runs with secure_delete,
  // so a destroyed key's bytes are overwritten in the file, not left in a free page.
  `
  CREATE TABLE data_keys (
    subject TEXT NOT NULL,
    key_id TEXT NOT NULL,
    kek_id TEXT NOT NULL,
    wrapped TEXT NOT NULL CHECK (typeof(wrapped) = 'text'),
    created_at TEXT NOT NULL,
    current INTEGER NOT NULL CHECK (current IN (0, 1)),
    PRIMARY KEY (subject, key_id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX data_keys_one_current ON data_keys (subject) WHERE current = 1;
  `,
  // 5: the incident register (GDPR Art. 33(5): every breach documented). Append-only like the audit log: an
  // incident's state is derived from its events, never updated in place. AUTOINCREMENT so a seq is never reused.
  `
  CREATE TABLE incident_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    time TEXT NOT NULL,
    actor TEXT,
    data TEXT NOT NULL CHECK (json_valid(data))
  );
  CREATE INDEX incident_events_incident ON incident_events (incident_id, seq);
  CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
    BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
  CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
    BEGIN SELECT RAISE(ABORT, 'incident_events is append-only'); END;
  `,
];
