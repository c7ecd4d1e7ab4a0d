/** Roles and tokens. DOMAIN §8. */
import { z } from 'zod';

/** `viewer`: wall, read-only, personal data masked; `responder`, `planner`, `admin`. */
export const Role = z.enum(['viewer', 'responder', 'planner', 'admin']);
export type Role = z.infer<typeof Role>;

export const TokenRequest = z.strictObject({
  role: Role,
  name: z.string().min(1).max(100),
});
export type TokenRequest = z.infer<typeof TokenRequest>;

export interface TokenIssued {
  token: string;
  role: Role;
  name: string;
}

/** Answer of `GET /api/v1/session`: who the caller is. */
export interface SessionInfo {
  role: Role;
  name: string;
}
