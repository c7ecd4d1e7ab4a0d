import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
