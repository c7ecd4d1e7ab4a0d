/**
 * The audit chain, pure: each entry's hash covers its content and the previous entry's hash, so
 * editing, deleting or reordering any stored entry breaks every hash from there on, and
 * {@link verifyChain} names the first entry that no longer fits.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../contract/auth.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  id: number;
  /** ISO 8601 with milliseconds. */
  at: string;
  actor: Actor;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditContent {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level and no whitespace: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, content: AuditContent): string {
  const { id, at, actor, action, subject, detail } = content;
  return createHash('sha256').update(`${prevHash}\n${canonicalJson({ id, at, actor: { name: actor.name, role: actor.role }, action, subject, detail })}`).digest('hex');
}

/** Chains new contents after `prev` (the last stored entry's hash). */
export function chain(prevHash: string, contents: readonly AuditContent[]): AuditEntry[] {
  let prev = prevHash;
  return contents.map((c) => {
    const hash = entryHash(prev, c);
    const entry = { ...c, prevHash: prev, hash };
    prev = hash;
    return entry;
  });
}

export type BrokenReason = 'missing_entry' | 'prev_hash_mismatch' | 'hash_mismatch';
export interface Broken {
  id: number;
  reason: BrokenReason;
  expected: string;
  found: string;
}

/**
 * Checks one page of entries (in id order) against where the previous page ended; returns the
 * first break, or where this page ends. Ids start at 1 and have no gaps.
 */
export function verifyPage(
  entries: readonly AuditEntry[],
  from: { lastId: number; lastHash: string },
): { ok: true; lastId: number; lastHash: string } | { ok: false; broken: Broken } {
  let { lastId, lastHash } = from;
  for (const e of entries) {
    if (e.id !== lastId + 1) return { ok: false, broken: { id: lastId + 1, reason: 'missing_entry', expected: `entry ${lastId + 1}`, found: `entry ${e.id}` } };
    if (e.prevHash !== lastHash) return { ok: false, broken: { id: e.id, reason: 'prev_hash_mismatch', expected: lastHash, found: e.prevHash } };
    const hash = entryHash(lastHash, e);
    if (hash !== e.hash) return { ok: false, broken: { id: e.id, reason: 'hash_mismatch', expected: hash, found: e.hash } };
    lastId = e.id;
    lastHash = e.hash;
  }
  return { ok: true, lastId, lastHash };
}
