import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
