/** Roles, capabilities and tokens (docs/domain.md §2). */
import { z } from 'zod';

/** `viewer`: wall, read-only, personal data masked; `responder`, `planner`, `admin`. */
export const Role = z.enum(['viewer', 'responder', 'planner', 'admin']);
export type Role = z.infer<typeof Role>;

/**
 * What a caller may do. Routes and the live stream ask for a capability, never for a role, so a
 * new role is one row of {@link ROLE_CAPABILITIES}.
 */
export const Capability = z.enum([
  /** Read the city: incidents, risk, parcels, equity, tiles, one's own session, the live stream. */
  'city:read',
  /** See reporters' names and numbers, and numbers quoted in free text, unmasked. */
  'personal-data:read',
  /** Report incidents (every intake format) and move them through the workflow. */
  'incidents:write',
  /** Create parcels, step them through their lifecycle, import them in bulk. */
  'parcels:write',
  /** Replace the population and replace or add facilities. */
  'equity-inputs:write',
  /** Replace the district boundaries. */
  'regions:write',
  /** Change how risk is rated. */
  'risk-config:write',
  /** Change the accountability clocks' targets and working hours. */
  'sla-config:write',
  /** Change the measures each risk level requires. */
  'measures-config:write',
  /** Issue, list and revoke tokens. */
  'tokens:manage',
  /** Read and verify the audit chain. */
  'audit:read',
  /** Import and edit the units register (which units exist, what they serve, their status). */
  'units:write',
  /** Send units' positions (an AVL gateway, a unit's tablet). */
  'units:report',
  /** Assign units to incidents, and record any unit's answer and steps (a token bound to a unit answers for it alone). */
  'dispatch:write',
]);
export type Capability = z.infer<typeof Capability>;

/** Every role's capabilities: the one table of who may do what. Administrators may do everything. */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  viewer: ['city:read'],
  responder: ['city:read', 'personal-data:read', 'incidents:write', 'units:report', 'dispatch:write'],
  planner: ['city:read', 'parcels:write', 'equity-inputs:write'],
  admin: Capability.options,
};

/** Whether `role` has `capability`. */
export function can(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].includes(capability);
}

/** The roles that have `capability`, in {@link Role} order (for messages naming who may). */
export function rolesWith(capability: Capability): Role[] {
  return Role.options.filter((role) => can(role, capability));
}

/**
 * Who did something, as the audit trail and history keep it. `role` is a {@link Role} for people
 * and a free word for the server's own work (`system` for the demo loader).
 */
export interface Actor {
  name: string;
  role: string;
}

/** A wall's token may live for years; a contractor's for a day: `expiresAt` or `ttlSeconds`, not both. */
export const TokenRequest = z
  .strictObject({
    role: Role,
    name: z.string().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    ttlSeconds: z.number().int().min(1).max(10 * 365 * 86_400).optional(),
    /** Binds the token to a unit of the register: it then speaks for that unit (its answers to dispatch, its positions). */
    unitId: z.string().min(1).max(100).optional(),
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
  /** The unit the token speaks for, `null` when bound to none. */
  unitId: string | null;
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
  unitId: string | null;
}

/** Body of `PATCH /api/v1/tokens/{id}`: binds the token to a unit, or (`null`) unbinds it. */
export const TokenBinding = z.strictObject({ unitId: z.string().min(1).max(100).nullable() });
export type TokenBinding = z.infer<typeof TokenBinding>;

/** Answer of `GET /api/v1/session`: who the caller is. */
export interface SessionInfo {
  role: Role;
  name: string;
  /** The unit the caller's token speaks for, when it is bound to one. */
  unitId?: string;
}
