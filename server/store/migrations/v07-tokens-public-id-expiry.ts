import type { Migration } from '../migrations.ts';

export const migration: Migration = {
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
};
