/** Schema migrations, applied in order once each; plain PostgreSQL that PGlite also runs. */
import type { Database } from './database.ts';

const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'event log, regions, incidents, tokens, demo inputs',
    sql: `
      -- One row holding the last seq handed out. Taking its row lock first serialises writers, so
      -- seqs commit in order and without gaps (readers resuming from a seq never skip one).
      CREATE TABLE log_head (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL);
      INSERT INTO log_head (id, seq) VALUES (1, 0);
      CREATE TABLE events (
        seq bigint PRIMARY KEY,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE regions (
        code text PRIMARY KEY,
        ord int NOT NULL,
        name text NOT NULL,
        population double precision,
        population_source text,
        geometry jsonb NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE incidents (
        id text PRIMARY KEY,
        source text NOT NULL,
        external_id text NOT NULL,
        category text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL,
        geometry jsonb NOT NULL,
        lon double precision NOT NULL,
        lat double precision NOT NULL,
        occurred_at timestamptz NOT NULL,
        reported_at timestamptz NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        reporter jsonb,
        region_code text,
        seq bigint NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}',
        UNIQUE (source, external_id)
      );
      CREATE INDEX incidents_lon_lat ON incidents (lon, lat);
      CREATE INDEX incidents_occurred_at ON incidents (occurred_at);
      CREATE TABLE tokens (
        hash text PRIMARY KEY,
        role text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE population_cells (
        id text PRIMARY KEY,
        lon double precision NOT NULL,
        lat double precision NOT NULL,
        population double precision NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE facilities (
        id text PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        capacity double precision NOT NULL,
        lon double precision NOT NULL,
        lat double precision NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE parcels (
        code text PRIMARY KEY,
        region_code text,
        land_use text NOT NULL,
        hazardous boolean NOT NULL DEFAULT false,
        stage text NOT NULL,
        geometry jsonb NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'
      );
      CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'incident audit trail, idempotency keys',
    sql: `
      -- Append-only: one row per change of an incident (creation included), keyed by its event seq.
      CREATE TABLE incident_changes (
        seq bigint PRIMARY KEY,
        incident_id text NOT NULL,
        at timestamptz NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        note text
      );
      CREATE INDEX incident_changes_incident ON incident_changes (incident_id, seq);
      CREATE TABLE idempotency_keys (
        actor text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status int NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      );
    `,
  },
  {
    version: 3,
    name: 'risk config versions and risk level history',
    sql: `
      -- Every risk config an administrator saved, never updated: the audit trail of the model.
      CREATE TABLE risk_configs (
        version int PRIMARY KEY,
        config jsonb NOT NULL,
        saved_at timestamptz NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL
      );
      -- Append-only: one row per level change of a region, keyed by the seq of its risk:changed
      -- event. A region's current level is its latest row; playback reads the rows up to a time.
      CREATE TABLE risk_changes (
        seq bigint PRIMARY KEY,
        code text NOT NULL,
        from_level text,
        to_level text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        config_version int NOT NULL,
        region jsonb NOT NULL
      );
      CREATE INDEX risk_changes_at ON risk_changes (at);
      CREATE INDEX risk_changes_code_at ON risk_changes (code, at);
    `,
  },
  {
    version: 4,
    name: 'land-code parcels: lifecycle steps, code sequences, centers',
    sql: `
      ALTER TABLE parcels ADD COLUMN name text NOT NULL DEFAULT '';
      ALTER TABLE parcels ADD COLUMN address text;
      -- Representative point and box, filled by the parcel service (JS geometry, not SQL).
      ALTER TABLE parcels ADD COLUMN lon double precision;
      ALTER TABLE parcels ADD COLUMN lat double precision;
      ALTER TABLE parcels ADD COLUMN bbox double precision[];
      ALTER TABLE parcels ADD COLUMN area_m2 double precision;
      ALTER TABLE parcels ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
      ALTER TABLE parcels ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
      ALTER TABLE parcels ADD COLUMN seq bigint NOT NULL DEFAULT 0;
      ALTER TABLE parcels ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
      CREATE INDEX parcels_lon_lat ON parcels (lon, lat);
      CREATE INDEX parcels_region ON parcels (region_code);
      -- Append-only lifecycle: one row per step; seq is the step's event (null for bulk imports).
      CREATE TABLE parcel_steps (
        id bigserial PRIMARY KEY,
        code text NOT NULL,
        step text NOT NULL,
        department text NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        at timestamptz NOT NULL,
        documents jsonb NOT NULL,
        note text,
        seq bigint
      );
      CREATE INDEX parcel_steps_code ON parcel_steps (code, id);
      -- Last sequence issued per region and year: codes never repeat (row lock per region-year).
      CREATE TABLE parcel_sequences (
        adcode text NOT NULL,
        year int NOT NULL,
        last int NOT NULL,
        PRIMARY KEY (adcode, year)
      );
    `,
  },
  {
    version: 5,
    name: 'equity inputs: upload order, audit trail of population and facility writes',
    sql: `
      -- Upload order: cells named by their index and equity answers keep the order they were sent in.
      ALTER TABLE population_cells ADD COLUMN ord bigserial;
      ALTER TABLE facilities ADD COLUMN ord bigserial;
      -- Append-only: who replaced the population or changed the facilities, and what it did.
      CREATE TABLE equity_input_changes (
        id bigserial PRIMARY KEY,
        inputs_version int NOT NULL,
        input text NOT NULL,
        action text NOT NULL,
        count int NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'audit chain: every change, hash-linked to the one before',
    sql: `
      -- detail is kept as the exact canonical JSON text that was hashed (jsonb would reorder it).
      CREATE TABLE audit_log (
        id bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        detail text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX audit_log_subject ON audit_log (subject);
      -- The last entry: locked while appending, so entries chain one after another without gaps.
      CREATE TABLE audit_head (id int PRIMARY KEY CHECK (id = 1), last_id bigint NOT NULL, last_hash text NOT NULL);
      INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
    `,
  },
  {
    version: 7,
    name: 'tokens: public id, expiry and revocation',
    sql: `
      -- A public handle to list and revoke a token by. Tokens issued before this get one derived
      -- from their hash (a hash of a 256-bit secret reveals nothing about it).
      ALTER TABLE tokens ADD COLUMN id text;
      UPDATE tokens SET id = 'tok_' || substr(hash, 1, 12) WHERE id IS NULL;
      ALTER TABLE tokens ALTER COLUMN id SET NOT NULL;
      CREATE UNIQUE INDEX tokens_id ON tokens (id);
      ALTER TABLE tokens ADD COLUMN expires_at timestamptz;
      ALTER TABLE tokens ADD COLUMN revoked_at timestamptz;
      ALTER TABLE tokens ADD COLUMN revoked_by text;
    `,
  },
  {
    version: 8,
    name: 'parcels: GiST index on each parcel box',
    sql: `
      -- A planner's viewport query (parcels whose box meets the view) scanned every parcel: the
      -- (lon, lat) B-tree cannot answer "boxes that overlap". PostgreSQL's own box type and GiST
      -- can, on a server and in PGlite alike, so the same SQL stays on both (no PostGIS needed).
      CREATE INDEX parcels_box ON parcels USING gist (box(point(bbox[1], bbox[2]), point(bbox[3], bbox[4])));
    `,
  },
  {
    version: 9,
    name: 'feeds that update and cancel: record versions, exercises, aliases, notices',
    sql: `
      -- The source record's own version (a JSON array compared element by element) and whether
      -- it is an exercise; rows stored before this are unversioned live incidents.
      ALTER TABLE incidents ADD COLUMN version jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE incidents ADD COLUMN drill boolean NOT NULL DEFAULT false;
      -- More names by which a source's later records find an incident: a CAP alert's identifier
      -- and those of the updates applied to it, so an Update or Cancel that names any of them finds it.
      CREATE TABLE incident_aliases (
        source text NOT NULL,
        alias text NOT NULL,
        incident_id text NOT NULL,
        PRIMARY KEY (source, alias, incident_id)
      );
      -- What a source's update changed (null for creation and operators' status steps).
      ALTER TABLE incident_changes ADD COLUMN fields jsonb;
      -- Messages about earlier records that are not incidents (CAP Ack, Error, Cancel without info),
      -- kept so they can be shown with what they name, and so a Cancel that arrives before its
      -- alert still ends it when the alert comes.
      CREATE TABLE feed_notices (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        external_id text NOT NULL,
        kind text NOT NULL,
        refers jsonb NOT NULL,
        version jsonb NOT NULL,
        note text NOT NULL,
        drill boolean NOT NULL DEFAULT false,
        received_at timestamptz NOT NULL,
        incident_ids jsonb NOT NULL
      );
      CREATE INDEX feed_notices_refers ON feed_notices USING gin (refers);
    `,
  },
  {
    version: 10,
    name: 'units register, last positions, thinned tracks; tokens bound to a unit',
    sql: `
      -- The register: one row per unit; every change of it is a unit:updated event (and audited).
      CREATE TABLE units (
        id text PRIMARY KEY,
        call_sign text NOT NULL,
        kind text NOT NULL,
        agency text,
        station_id text,
        serves jsonb NOT NULL,
        status text NOT NULL,
        status_since timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        seq bigint NOT NULL
      );
      -- One row per unit, made with it: its last position (null until it reports) and when its
      -- track last kept a point. Position batches lock these rows, never the register's.
      CREATE TABLE unit_positions (
        unit_id text PRIMARY KEY REFERENCES units (id),
        lon double precision,
        lat double precision,
        at timestamptz,
        speed double precision,
        heading double precision,
        received_at timestamptz,
        track_at timestamptz
      );
      -- The thinned track: a point per unit at most every 30 s, deleted after 7 days.
      CREATE TABLE unit_track (
        unit_id text NOT NULL,
        at timestamptz NOT NULL,
        lon double precision NOT NULL,
        lat double precision NOT NULL,
        speed double precision,
        heading double precision,
        PRIMARY KEY (unit_id, at)
      );
      CREATE INDEX unit_track_at ON unit_track (at);
      ALTER TABLE tokens ADD COLUMN unit_id text;
    `,
  },
  {
    version: 11,
    name: 'dispatch: assignments of units to incidents, and their steps in incident history',
    sql: `
      -- One row per unit sent to an incident, with the time of each step (null until taken). No
      -- foreign keys: the units register is replaced by imports, and an assignment keeps naming the
      -- unit (and its agency then) that responded.
      CREATE TABLE assignments (
        id text PRIMARY KEY,
        incident_id text NOT NULL,
        unit_id text NOT NULL,
        agency text,
        status text NOT NULL,
        disposition text,
        assigned_at timestamptz NOT NULL,
        accepted_at timestamptz,
        declined_at timestamptz,
        en_route_at timestamptz,
        on_scene_at timestamptz,
        cleared_at timestamptz,
        assigned_by_name text NOT NULL,
        assigned_by_role text NOT NULL,
        seq bigint NOT NULL
      );
      CREATE INDEX assignments_incident ON assignments (incident_id);
      CREATE INDEX assignments_assigned_at ON assignments (assigned_at);
      -- A unit is on at most one active assignment: the last guard should two writers ever race.
      CREATE UNIQUE INDEX assignments_one_active_per_unit ON assignments (unit_id)
        WHERE status IN ('assigned', 'accepted', 'en_route', 'on_scene');
      -- An assignment step in the incident's history: {assignmentId, unitId, agency, from, to, disposition}.
      ALTER TABLE incident_changes ADD COLUMN assignment jsonb;
    `,
  },
  {
    version: 12,
    name: 'accountability clocks: config versions, overdue notices sent once',
    sql: `
      -- Every clock config an administrator saved, never updated (as risk_configs).
      CREATE TABLE sla_configs (
        version int PRIMARY KEY,
        config jsonb NOT NULL,
        saved_at timestamptz NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL
      );
      -- One row per clock announced overdue (incident:overdue, keyed by its seq): the key makes the
      -- announcement once only, across restarts and whichever node leads.
      CREATE TABLE overdue_notices (
        incident_id text NOT NULL,
        clock text NOT NULL,
        due_at timestamptz NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (incident_id, clock)
      );
      -- KPIs pick incidents by when they were reported; the overdue scan reads the open ones.
      CREATE INDEX incidents_reported_at ON incidents (reported_at);
      CREATE INDEX incidents_open ON incidents (reported_at) WHERE status IN ('reported', 'acknowledged', 'dispatched');
    `,
  },
  {
    version: 13,
    name: 'measures per risk level: config versions, ticks on incident checklists',
    sql: `
      -- Every measures config an administrator saved, never updated (as risk_configs).
      CREATE TABLE measures_configs (
        version int PRIMARY KEY,
        config jsonb NOT NULL,
        saved_at timestamptz NOT NULL,
        actor_name text NOT NULL,
        actor_role text NOT NULL
      );
      -- A measure ticked or unticked on an incident's checklist: {id, done, text, textEn} as it read then.
      ALTER TABLE incident_changes ADD COLUMN measure jsonb;
    `,
  },
];

/** Applies every migration the database has not seen yet; returns how many ran. */
export async function migrate(db: Database): Promise<number> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  let ran = 0;
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    ran++;
  }
  return ran;
}

/** Splits on `;` at line ends: migrations hold no semicolons inside literals or functions. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
