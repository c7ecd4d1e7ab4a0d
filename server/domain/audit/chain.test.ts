/** The pure audit chain: links, and the first break named for each kind of tampering. */
import { describe, expect, it } from 'vitest';
import { canonicalJson, chain, GENESIS_HASH, verifyPage, type AuditContent } from './chain.ts';

const content = (id: number): AuditContent => ({ id, at: new Date(Date.UTC(2026, 10, 24, 0, 0, id)).toISOString(), actor: { name: 'a', role: 'admin' }, action: 'x:y', subject: `s${id}`, detail: { n: id, nested: { b: 1, a: [2, { d: 1, c: 0 }] } } });

describe('audit chain', () => {
  it('writes one text for one value whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
  });

  it('links each entry to the one before and verifies a whole chain', () => {
    const entries = chain(GENESIS_HASH, [1, 2, 3, 4].map(content));
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(4);
    expect(verifyPage(entries, { lastId: 0, lastHash: GENESIS_HASH })).toEqual({ ok: true, lastId: 4, lastHash: entries[3]!.hash });
    // Two pages verify like one.
    const first = verifyPage(entries.slice(0, 2), { lastId: 0, lastHash: GENESIS_HASH });
    expect(first.ok && verifyPage(entries.slice(2), first)).toMatchObject({ ok: true, lastId: 4 });
  });

  it('names the first broken entry for an edit, a deletion, a relink and a swap', () => {
    const entries = chain(GENESIS_HASH, [1, 2, 3, 4].map(content));
    const start = { lastId: 0, lastHash: GENESIS_HASH };
    const edited = entries.map((e) => (e.id === 2 ? { ...e, detail: { ...e.detail, n: 99 } } : e));
    expect(verifyPage(edited, start)).toMatchObject({ ok: false, broken: { id: 2, reason: 'hash_mismatch' } });
    expect(verifyPage(entries.filter((e) => e.id !== 3), start)).toMatchObject({ ok: false, broken: { id: 3, reason: 'missing_entry' } });
    const relinked = entries.map((e) => (e.id === 4 ? { ...e, prevHash: GENESIS_HASH } : e));
    expect(verifyPage(relinked, start)).toMatchObject({ ok: false, broken: { id: 4, reason: 'prev_hash_mismatch' } });
    const swapped = entries.map((e) => (e.id === 3 ? { ...e, actor: { name: 'mallory', role: 'admin' } } : e));
    expect(verifyPage(swapped, start)).toMatchObject({ ok: false, broken: { id: 3 } });
  });
});
