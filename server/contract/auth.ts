/** Roles and tokens. DOMAIN §8. */
import { z } from 'zod';

/** `viewer`: wall, read-only, personal data masked; `responder`, `planner`, `admin`. */
export const Role = z.enum(['viewer', 'responder', 'planner', 'admin']);
export type Role = z.infer<typeof Role>;

/** A wall's token may live for years; a contractor's for a day: `expiresAt` or `ttlSeconds`, not both. */
export const TokenRequest = z
  .strictObject({
    role: Role,
    name: z.string().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    ttlSeconds: z.number().int().min(1).max(10 * 365 * 86_400).optional(),
  })
  .refine((t) => t.expiresAt === undefined || t.ttlSeconds === undefined, { message: 'give expiresAt or ttlSeconds, not both', path: ['ttlSeconds'] })
  .refine((t) => t.expiresAt === undefined || Date.parse(t.expiresAt) > Date.now(), { message: 'expiresAt must be in the future', path: ['expiresAt'] });
export type TokenRequest = z.infer<typeof TokenRequest>;

export interface TokenIssued {
  /** Public handle of the token (for listing and revoking); not a secret. */
  id: string;
  /** The secret: shown once, stored only as a hash. */
  token: string;
  role: Role;
  name: string;
  expiresAt: string | null;
}

/** `GET /api/v1/tokens`: what an administrator may know of a token (never the token or its hash). */
export interface TokenInfo {
  id: string;
  role: Role;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** Answer of `GET /api/v1/session`: who the caller is. */
export interface SessionInfo {
  role: Role;
  name: string;
}
