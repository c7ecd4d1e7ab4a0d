import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
