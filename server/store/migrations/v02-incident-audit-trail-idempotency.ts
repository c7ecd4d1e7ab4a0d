import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
