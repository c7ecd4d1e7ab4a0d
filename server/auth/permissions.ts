/**
 * Whether a caller may do something, decided from the role → capability table in the contract
 * (`ROLE_CAPABILITIES`). Transport-neutral: HTTP turns a refusal into 401/403, the live stream into
 * a refused handshake; the wording is the same.
 */
import { can, rolesWith, type Capability } from '../contract/auth.ts';
import type { Principal } from './principal.ts';

export interface Refusal {
  /** `unauthorized`: nobody signed in. `forbidden`: signed in, but the role lacks the capability. */
  code: 'unauthorized' | 'forbidden';
  message: string;
}

/** `null` when the principal has the capability, else why not. */
export function authorise(principal: Principal | undefined, capability: Capability): Refusal | null {
  if (!principal) return { code: 'unauthorized', message: 'sign in first: send "Authorization: Bearer <token>"' };
  if (can(principal.role, capability)) return null;
  return { code: 'forbidden', message: `the ${principal.role} role may not do this; it needs one of: ${rolesWith(capability).join(', ')}` };
}
