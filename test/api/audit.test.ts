/**
 * The audit chain (docs/domain.md §10.1): every kind of change lands in it with its actor; the test
 * recomputes every hash itself; editing, deleting or relinking a row in the store makes
 * `GET /api/v1/audit/verify` name the first broken entry.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../support/server.ts';

let s: TestServer;
const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

interface Entry {
  id: number;
  at: string;
  actor: { name: string; role: string };
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Sorted-key JSON written independently of the server's canonicalJson (a replacer, not a walk). */
const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));

const hashOf = (prev: string, e: Entry) =>
  createHash('sha256').update(`${prev}\n${sortedJson({ id: e.id, at: e.at, actor: { name: e.actor.name, role: e.actor.role }, action: e.action, subject: e.subject, detail: e.detail })}`).digest('hex');

async function allEntries(): Promise<Entry[]> {
  const out: Entry[] = [];
  let after = 0;
  for (;;) {
    const page = (await api(s, 'GET', `/api/v1/audit?after=${after}&limit=50`)).body as { entries: Entry[]; next: number | null };
    out.push(...page.entries);
    if (page.next === null) return out;
    after = page.next;
  }
}
const verify = async () => (await api(s, 'GET', '/api/v1/audit/verify')).body;
const sql = (text: string, params: unknown[] = []) => s.server.store.db.query(text, params);

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(() => s?.close());

describe('the audit chain', () => {
  let planner: string;
  let tokenId: string;
  let incidentId: string;
  let parcelCode: string;

  it('records every kind of change with who made it', async () => {
    expect(await verify()).toEqual({ ok: true, entries: 0, head: { id: 0, hash: '0'.repeat(64) } });
    await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 100_000 } }] });
    const issued = (await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'bureau' })).body;
    planner = issued.token;
    tokenId = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'to revoke' })).body.id;
    expect((await api(s, 'DELETE', `/api/v1/tokens/${tokenId}`)).status).toBe(204);
    incidentId = (await api(s, 'POST', '/api/v1/incidents', { lat: 30.05, lon: 120.05, title: 'audit', reporter: { phone: '13812345678' } })).body.items[0].id;
    expect((await api(s, 'PATCH', `/api/v1/incidents/${incidentId}`, { status: 'acknowledged', note: 'on it' })).status).toBe(200);
    const { config } = (await api(s, 'GET', '/api/v1/risk/config')).body;
    expect((await api(s, 'PUT', '/api/v1/risk/config', { ...config, version: config.version + 1 })).status).toBe(200);
    parcelCode = (await api(s, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.01, 30.01, 0.001) }, properties: { landUse: '07' } }, { token: planner })).body.properties.code;
    expect((await api(s, 'POST', `/api/v1/parcels/${parcelCode}/steps`, { step: 'supplied', department: '公共资源交易中心', documents: [{ title: '出让合同', number: 'M-1', issuedAt: '2026-02-01' }] }, { token: planner })).status).toBe(201);
    await api(s, 'PUT', '/api/v1/population', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.05, 30.05] }, properties: { population: 10 } }] }, { token: planner });
    await api(s, 'PUT', '/api/v1/facilities', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.04, 30.04] }, properties: { id: 'h1', kind: 'hospital', capacity: 5 } }] }, { token: planner });

    const entries = await allEntries();
    const find = (action: string, subject?: string) => entries.find((e) => e.action === action && (subject === undefined || e.subject === subject));
    expect(find('regions:replaced', 'regions')?.actor).toEqual({ name: 'admin', role: 'admin' });
    expect(find('token:issued', issued.id)?.actor.role).toBe('admin');
    expect(find('token:revoked', tokenId)?.actor.name).toBe('admin');
    expect(find('incident:created', incidentId)?.actor.role).toBe('admin');
    expect(find('incident:updated', incidentId)?.detail.status).toBe('acknowledged');
    expect(find('risk:configured')?.subject).toBe(`risk-config/v${config.version + 1}`);
    expect(find('parcel:created', parcelCode)?.actor).toEqual({ name: 'bureau', role: 'planner' });
    expect(find('parcel:stepped', parcelCode)?.detail).toMatchObject({ from: 'planned', to: 'supplied' });
    expect(find('population:replaced')?.actor.role).toBe('planner');
    expect(find('facilities:replaced')?.actor.role).toBe('planner');
    expect(find('risk:changed')?.actor).toEqual({ name: 'system', role: 'system' });
    // No secret and no personal data in the chain.
    const text = JSON.stringify(entries);
    expect(text).not.toContain(planner);
    expect(text).not.toContain('13812345678');
  });

  it('every hash recomputed here matches, ids run 1..n, and verify agrees', async () => {
    const entries = await allEntries();
    let prev = '0'.repeat(64);
    entries.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toBe(hashOf(prev, e));
      prev = e.hash;
    });
    expect(await verify()).toEqual({ ok: true, entries: entries.length, head: { id: entries.length, hash: prev } });
  });

  it('an edited row is named as the first broken entry, and restoring it heals the chain', async () => {
    const target = 5;
    const [row] = await sql('SELECT detail, actor_name FROM audit_log WHERE id = $1', [target]);
    const { detail: original, actor_name: actor } = row as { detail: string; actor_name: string };
    await sql('UPDATE audit_log SET detail = $2 WHERE id = $1', [target, original.replace('}', ',"edited":true}')]);
    expect(await verify()).toMatchObject({ ok: false, entries: target - 1, firstBroken: { id: target, reason: 'hash_mismatch' } });
    await sql('UPDATE audit_log SET actor_name = $2, detail = $3 WHERE id = $1', [target, 'mallory', original]);
    expect((await verify()).firstBroken).toMatchObject({ id: target, reason: 'hash_mismatch' });
    await sql('UPDATE audit_log SET actor_name = $2 WHERE id = $1', [target, actor]);
    // Restored exactly, the chain is whole again.
    expect((await verify()).ok).toBe(true);
  });

  it('a deleted middle row, a relinked row and a cut-off tail are each found', async () => {
    const entries = await allEntries();
    const keep = entries[6]!;
    await sql('DELETE FROM audit_log WHERE id = $1', [keep.id]);
    expect((await verify()).firstBroken).toMatchObject({ id: keep.id, reason: 'missing_entry' });
    await sql('INSERT INTO audit_log (id, at, actor_name, actor_role, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      keep.id, keep.at, keep.actor.name, keep.actor.role, keep.action, keep.subject, sortedJson(keep.detail), keep.prevHash, keep.hash,
    ]);
    expect((await verify()).ok).toBe(true);
    await sql('UPDATE audit_log SET prev_hash = $2 WHERE id = $1', [3, 'f'.repeat(64)]);
    expect((await verify()).firstBroken).toMatchObject({ id: 3, reason: 'prev_hash_mismatch' });
    await sql('UPDATE audit_log SET prev_hash = $2 WHERE id = $1', [3, entries[1]!.hash]);
    const last = entries.at(-1)!;
    await sql('DELETE FROM audit_log WHERE id = $1', [last.id]);
    expect((await verify()).firstBroken).toMatchObject({ id: last.id, reason: 'missing_entry' });
  });

  it('is for administrators only', async () => {
    expect((await api(s, 'GET', '/api/v1/audit/verify', undefined, { token: planner })).status).toBe(403);
    expect((await api(s, 'GET', '/api/v1/audit', undefined, { token: null })).status).toBe(401);
  });
});
