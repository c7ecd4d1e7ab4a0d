import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
