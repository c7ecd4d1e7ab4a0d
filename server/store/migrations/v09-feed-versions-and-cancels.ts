import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
