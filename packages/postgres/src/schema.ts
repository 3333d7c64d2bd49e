/** One versioned schema change. `sql` receives the quoted schema name and returns the statements. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: (schema: string) => string;
}

/**
 * The schema migrations, applied in order on start inside one transaction under an advisory lock, so two
 * processes starting at once apply each exactly once. The `privacy_kit_migrations` table records what ran.
 * Never edit a released migration: append a new one.
 */
export const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'consents, audit chain, rights requests',
    sql: (s) => `
      CREATE FUNCTION ${s}.privacy_kit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END
      $fn$;

      -- Consents are an append-only event log: the current state is derived, never updated in place.
      -- tx is the writing transaction, so a consent watcher that lost its LISTEN connection can replay
      -- exactly the subjects changed while it was away.
      CREATE TABLE ${s}.consent_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        subject text NOT NULL,
        purpose text NOT NULL,
        action text NOT NULL CHECK (action IN ('granted', 'withdrawn', 'expired')),
        policy_version text,
        method text NOT NULL,
        expires_at text,
        time text NOT NULL,
        tx bigint NOT NULL DEFAULT txid_current()
      );
      CREATE INDEX consent_events_subject ON ${s}.consent_events (subject, seq);
      CREATE INDEX consent_events_tx ON ${s}.consent_events (tx);
      CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON ${s}.consent_events
        FOR EACH ROW EXECUTE FUNCTION ${s}.privacy_kit_append_only();
      CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON ${s}.consent_events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.privacy_kit_append_only();

      -- One chain for all instances: seq is assigned under the append lock from the head, so it has no gaps.
      CREATE TABLE ${s}.audit_log (
        seq bigint PRIMARY KEY,
        event text NOT NULL,
        time text NOT NULL,
        request_id text NOT NULL,
        app_id text NOT NULL,
        actor text,
        subject text,
        method text,
        route text,
        purposes jsonb NOT NULL,
        basis text,
        categories jsonb NOT NULL,
        decision text NOT NULL,
        reason text,
        status integer,
        duration_ms double precision,
        details jsonb,
        prev_mac text NOT NULL,
        mac text NOT NULL
      );
      CREATE INDEX audit_log_subject ON ${s}.audit_log (subject, seq);
      CREATE INDEX audit_log_actor ON ${s}.audit_log (actor, seq);
      CREATE INDEX audit_log_request ON ${s}.audit_log (request_id);
      -- Defence in depth: the application never changes or removes audit rows; verifyAudit() catches whoever does.
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON ${s}.audit_log
        FOR EACH ROW EXECUTE FUNCTION ${s}.privacy_kit_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${s}.audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.privacy_kit_append_only();

      CREATE TABLE ${s}.audit_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        mac text NOT NULL,
        head_mac text NOT NULL
      );

      CREATE TABLE ${s}.rights_requests (
        id text PRIMARY KEY,
        kind text NOT NULL,
        subject text NOT NULL,
        status text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        due_at text NOT NULL,
        steps jsonb NOT NULL,
        error text,
        details jsonb
      );
      CREATE INDEX rights_requests_subject ON ${s}.rights_requests (subject);
      CREATE INDEX rights_requests_status ON ${s}.rights_requests (status, due_at);
    `,
  },
  {
    version: 2,
    name: 'audit head format 2: record count, commit time, key fingerprint',
    // A format 1 head keeps version 1 and null in the new columns until the next append replaces it.
    sql: (s) => `
      ALTER TABLE ${s}.audit_head
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN count bigint,
        ADD COLUMN time text,
        ADD COLUMN key_id text;

      -- An instance still running an earlier version moves only seq, mac and head_mac: what it wrote is a
      -- format 1 head, so mark it as one (a format 2 writer always changes count). Keeps rolling upgrades verifiable.
      CREATE FUNCTION ${s}.privacy_kit_head_format() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.seq IS DISTINCT FROM OLD.seq AND NEW.count IS NOT DISTINCT FROM OLD.count THEN
          NEW.version := 1;
          NEW.count := NULL;
          NEW.time := NULL;
          NEW.key_id := NULL;
        END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER audit_head_format_1_writer BEFORE UPDATE ON ${s}.audit_head
        FOR EACH ROW EXECUTE FUNCTION ${s}.privacy_kit_head_format();
    `,
  },
  {
    version: 3,
    name: 'one audit chain per writer: chain registry with heads and leases, signed checkpoints of every head',
    // Stops the fleet's one serialised chain: every writer appends to a chain of its own, so no lock is shared on the
    // request path. The existing log becomes the chain 'main' (positions unchanged) that a writer claims first, so
    // a single instance goes on where it left off. audit_head goes: an instance of an earlier version fails its
    // appends (503) instead of writing outside the chains, so upgrade every instance together.
    sql: (s) => `
      CREATE TABLE ${s}.audit_chains (
        chain text PRIMARY KEY,
        created text NOT NULL,
        seq bigint NOT NULL DEFAULT 0,
        mac text NOT NULL DEFAULT '',
        head_mac text,
        version integer,
        count bigint,
        time text,
        key_id text,
        holder text,
        lease_until timestamptz
      );
      INSERT INTO ${s}.audit_chains (chain, created, seq, mac, head_mac, version, count, time, key_id)
        SELECT 'main', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"'), seq, mac, head_mac, version, count, time, key_id
        FROM ${s}.audit_head WHERE id = 1;
      DROP TABLE ${s}.audit_head;
      DROP FUNCTION ${s}.privacy_kit_head_format();

      ALTER TABLE ${s}.audit_log ADD COLUMN chain text NOT NULL DEFAULT 'main', ADD COLUMN chain_seq bigint;
      ALTER TABLE ${s}.audit_log DISABLE TRIGGER audit_log_append_only;
      UPDATE ${s}.audit_log SET chain_seq = seq;
      ALTER TABLE ${s}.audit_log ENABLE TRIGGER audit_log_append_only;
      ALTER TABLE ${s}.audit_log ALTER COLUMN chain DROP DEFAULT, ALTER COLUMN chain_seq SET NOT NULL;
      ALTER TABLE ${s}.audit_log ADD CONSTRAINT audit_log_chain_position UNIQUE (chain, chain_seq);
      -- seq orders the whole log for reading (readAudit, paging); positions within a chain are chain_seq.
      CREATE SEQUENCE ${s}.audit_log_seq OWNED BY ${s}.audit_log.seq;
      SELECT setval('${s}.audit_log_seq', coalesce((SELECT max(seq) FROM ${s}.audit_log), 0) + 1, false);
      ALTER TABLE ${s}.audit_log ALTER COLUMN seq SET DEFAULT nextval('${s}.audit_log_seq');

      -- Signed statements of every chain's head, written off the request path; append-only like the log.
      CREATE TABLE ${s}.audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        time text NOT NULL,
        count bigint NOT NULL,
        chains jsonb NOT NULL,
        key_id text NOT NULL,
        mac text NOT NULL
      );
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON ${s}.audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION ${s}.privacy_kit_append_only();
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON ${s}.audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.privacy_kit_append_only();
    `,
  },
  {
    version: 4,
    name: 'wrapped data keys, at most one current per subject',
    // Field encryption keeps a data key per subject here, wrapped (never in the clear). subject and key_id compare
    // by code point (COLLATE "C"), the order listDataKeys walks in on every store, whatever the database's locale.
    sql: (s) => `
      CREATE TABLE ${s}.data_keys (
        subject text COLLATE "C" NOT NULL,
        key_id text COLLATE "C" NOT NULL,
        kek_id text NOT NULL,
        wrapped text NOT NULL,
        created_at text NOT NULL,
        current boolean NOT NULL,
        PRIMARY KEY (subject, key_id)
      );
      -- At most one current key per subject, whoever writes.
      CREATE UNIQUE INDEX data_keys_one_current ON ${s}.data_keys (subject) WHERE current;
    `,
  },
  {
    version: 5,
    name: 'incident register, append-only',
    // GDPR Art. 33(5): every breach documented. An incident's state is derived from its events, never updated in
    // place; the register refuses UPDATE, DELETE and TRUNCATE like the audit log. data is the JSON text as given
    // (not jsonb: the facts read back exactly as written, key order included).
    sql: (s) => `
      CREATE TABLE ${s}.incident_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id text NOT NULL,
        kind text NOT NULL,
        time text NOT NULL,
        actor text,
        data text NOT NULL
      );
      CREATE INDEX incident_events_incident ON ${s}.incident_events (incident_id, seq);
      CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON ${s}.incident_events
        FOR EACH ROW EXECUTE FUNCTION ${s}.privacy_kit_append_only();
      CREATE TRIGGER incident_events_no_truncate BEFORE TRUNCATE ON ${s}.incident_events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.privacy_kit_append_only();
    `,
  },
];

/** The schema version this package writes and reads. */
export const POSTGRES_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
