/**
 * The audit chain (issue 9): every state change, config change, token change and parcel step is
 * appended, in the transaction that makes the change, to `audit_log`, each entry carrying the hash
 * of the one before, so an edited or deleted row breaks the chain where it happened.
 *
 * STUB: the signature is fixed; the implementation is being written.
 */
import type { Sql } from './database.ts';

/** Who made a change: a signed-in principal, or the server itself (`system`). */
export interface AuditActor {
  name: string;
  role: string;
}

export const SYSTEM_ACTOR: AuditActor = { name: 'system', role: 'system' };

export interface AuditEntryInput {
  /** What happened, `domain:verb` like the event names, e.g. `incident:updated`, `token:issued`. */
  action: string;
  actor: AuditActor;
  /** What it happened to: an incident id, a parcel code, a token id, `regions`, … */
  subject: string;
  /** What changed, without secrets (never a token, never a reporter's phone). */
  detail: Record<string, unknown>;
}

/** Appends entries in order, chained to the last one; call inside the change's transaction. */
export async function appendAudit(_tx: Sql, _entries: readonly AuditEntryInput[]): Promise<void> {
  // Filled in by the audit-chain work.
}
