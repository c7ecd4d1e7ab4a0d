/**
 * Who is calling: a token resolves to a principal (a role and a name), or is refused with a reason
 * a person can act on. HTTP and the socket handshake both identify callers through here.
 */
import type { Role } from '../contract/auth.ts';

export interface Principal {
  role: Role;
  name: string;
  /** The stored token's public id (absent for the administrator token from the environment). */
  tokenId?: string;
  /** When the token stops working (epoch ms). */
  expiresAt?: number;
  /** The unit the token speaks for (a crew's tablet): it answers dispatch for that unit alone. */
  unitId?: string;
}

export type ResolveToken = (token: string) => Promise<Principal | null>;

/** A resolver that can also say why a token was refused ("revoked on …", "expired on …"). */
export interface TokenResolver extends ResolveToken {
  refusal(token: string): Promise<string>;
  /** Drops a token from the cache at once (revocation on this node). */
  forget(tokenId: string): void;
}

/** Why `token` was refused ("revoked on …", "expired on …") when the resolver can say; never throws. */
export async function refusalOf(resolve: ResolveToken, token: string): Promise<string> {
  const fallback = 'the token is not valid';
  return 'refusal' in resolve ? (resolve as TokenResolver).refusal(token).catch(() => fallback) : fallback;
}
