import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
