import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
