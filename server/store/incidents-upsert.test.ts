/**
 * The versioned upsert on a real embedded PostgreSQL: which record version wins, what the history
 * and the event log hold afterwards, how references, cancellations and operators' steps interact.
 * Expected values are worked out by hand from the rules, or (in the property test) by a naive model
 * that replays the same sequence one record at a time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, Severity } from '../contract/incidents.ts';
import type { Database } from './database.ts';
import { eventLogReader } from './event-log.ts';
import { changeIncidentStatus, incidentHistory } from './incident-changes.ts';
import { getIncident } from './incident-queries.ts';
import type { NewIncident } from './incident-rows.ts';
import { insertIncidents, recordNotices } from './incidents.ts';
import { openTestDatabase } from '../../test/support/server.ts';

const ACTOR = { name: 'feed', role: 'admin' };
let db: Database;
let closeDb: () => Promise<void> = async () => {};
let ids = 0;

beforeAll(async () => {
  // A copy of the run's migrated empty store: initdb in WASM would take 8–25 s.
  ({ db, close: closeDb } = await openTestDatabase());
});
afterAll(async () => {
  await closeDb();
});

const SEVERITIES: Severity[] = ['minor', 'moderate', 'severe', 'extreme'];

/** One version of a record: its fields follow from the version, so the winner can be read back. */
function record(source: string, externalId: string, version: number | null, more: Partial<NewIncident> = {}): NewIncident {
  const v = version ?? 0;
  return {
    id: `inc-${++ids}`,
    source,
    externalId,
    category: 'fire',
    severity: SEVERITIES[v % SEVERITIES.length]!,
    status: 'reported',
    geometry: { type: 'Point', coordinates: [120 + v / 1000, 30] },
    occurredAt: '2026-12-01T00:00:00.000Z',
    reportedAt: '2026-12-01T00:05:00.000Z',
    title: `v${v}`,
    description: '',
    reporter: null,
    regionCode: null,
    attributes: {},
    drill: false,
    lon: 120 + v / 1000,
    lat: 30,
    ...(version !== null && { version: [version] }),
    ...more,
  };
}

async function find(source: string, externalId: string): Promise<Incident[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM incidents WHERE source = $1 AND external_id = $2', [source, externalId]);
  return Promise.all(rows.map(async (r) => (await getIncident(db, r.id))!));
}

async function expectGaplessLog(): Promise<void> {
  const log = eventLogReader(db);
  const head = await log.head();
  const events = await log.after(0, head + 10);
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, k) => k + 1));
}

describe('versioned upsert', () => {
  it('a newer version updates the incident with one history entry and one event; the same or an older one changes nothing', async () => {
    const first = await insertIncidents(db, [record('s1', 'a', 2)], ACTOR);
    expect(first.refs.map((r) => r.outcome)).toEqual(['created']);
    const id = first.refs[0]!.id;
    const later = await insertIncidents(db, [record('s1', 'a', 3), record('s1', 'a', 3), record('s1', 'a', 1)], ACTOR);
    expect(later.refs.map((r) => r.outcome)).toEqual(['updated', 'duplicate', 'duplicate']);
    expect(later.refs.every((r) => r.id === id)).toBe(true);
    expect(later.events.map((e) => e.type)).toEqual(['incident:updated']);
    const stored = (await find('s1', 'a'))[0]!;
    // Version 3: severity SEVERITIES[3 % 4] = extreme, title v3, lon 120.003.
    expect(stored).toMatchObject({ severity: 'extreme', title: 'v3', status: 'reported', geometry: { type: 'Point', coordinates: [120.003, 30] } });
    const history = await incidentHistory(db, id);
    expect(history?.map((h) => [h.from, h.to, h.fields ?? null])).toEqual([
      [null, 'reported', null],
      ['reported', 'reported', ['severity', 'geometry', 'title']],
    ]);
    await expectGaplessLog();
  });

  it('an unversioned repeat is a duplicate, as before records carried versions', async () => {
    const a = await insertIncidents(db, [record('s2', 'plain', null)], ACTOR);
    const b = await insertIncidents(db, [record('s2', 'plain', null, { title: 'changed' })], ACTOR);
    expect([a.refs[0]!.outcome, b.refs[0]!.outcome]).toEqual(['created', 'duplicate']);
    expect((await find('s2', 'plain'))[0]!.title).toBe('v0');
  });

  it('a record that names another (refers) updates it, and the original arriving later is older', async () => {
    await insertIncidents(db, [record('s3', 'alert-1', 10)], ACTOR);
    const update = await insertIncidents(db, [record('s3', 'update-1', 20, { refers: ['alert-1'] })], ACTOR);
    expect(update.refs[0]!.outcome).toBe('updated');
    // A third message names the update, not the alert: the alias registered by the update finds it.
    const third = await insertIncidents(db, [record('s3', 'update-2', 30, { refers: ['update-1'] })], ACTOR);
    expect(third.refs[0]!).toMatchObject({ outcome: 'updated', id: update.refs[0]!.id });
    expect(await find('s3', 'update-1')).toEqual([]);
    const [only] = await find('s3', 'alert-1');
    expect(only!.title).toBe('v30');

    // Out of order: the update first, then its original.
    const early = await insertIncidents(db, [record('s3', 'update-9', 90, { refers: ['alert-9'] })], ACTOR);
    const original = await insertIncidents(db, [record('s3', 'alert-9', 80)], ACTOR);
    expect([early.refs[0]!.outcome, original.refs[0]!.outcome]).toEqual(['created', 'duplicate']);
    expect(original.refs[0]!.id).toBe(early.refs[0]!.id);
    expect(await find('s3', 'alert-9')).toEqual([]);
  });

  it("a source's cancellation ends the incident as cancelled, and a later open version does not reopen it", async () => {
    const created = await insertIncidents(db, [record('s4', 'c', 1)], ACTOR);
    const cancel = await insertIncidents(db, [record('s4', 'c', 2, { sourceStatus: 'cancelled' })], ACTOR);
    expect(cancel.refs[0]!.outcome).toBe('updated');
    await insertIncidents(db, [record('s4', 'c', 3, { sourceStatus: 'open' })], ACTOR);
    const stored = (await getIncident(db, created.refs[0]!.id))!;
    expect(stored.status).toBe('cancelled');
    expect(stored.title).toBe('v3');
  });

  it("an operator's workflow step stays when the feed updates descriptive fields; a closed feed record resolves it", async () => {
    const created = await insertIncidents(db, [record('s5', 'op', 1)], ACTOR);
    const id = created.refs[0]!.id;
    const step = await changeIncidentStatus(db, { id, to: 'acknowledged', note: null, actor: { name: 'duty officer', role: 'operator' }, at: '2026-12-01T00:06:00.000Z' });
    expect(step.kind).toBe('changed');
    await insertIncidents(db, [record('s5', 'op', 2, { sourceStatus: 'open' })], ACTOR);
    expect((await getIncident(db, id))!).toMatchObject({ status: 'acknowledged', severity: 'severe', title: 'v2' });
    await insertIncidents(db, [record('s5', 'op', 3, { sourceStatus: 'closed' })], ACTOR);
    expect((await getIncident(db, id))!.status).toBe('resolved');
    const history = await incidentHistory(db, id);
    expect(history?.map((h) => `${h.from}→${h.to}`)).toEqual(['null→reported', 'reported→acknowledged', 'acknowledged→acknowledged', 'acknowledged→resolved']);
  });

  it('a record first seen closed or cancelled is created in that state', async () => {
    const r = await insertIncidents(db, [record('s6', 'closed', 1, { sourceStatus: 'closed' }), record('s6', 'gone', 1, { sourceStatus: 'cancelled' })], ACTOR);
    expect(await Promise.all(r.refs.map(async (x) => (await getIncident(db, x.id))!.status))).toEqual(['resolved', 'cancelled']);
  });
});

describe('exercises and live incidents', () => {
  it('an exercise never changes a live incident, neither by a newer version nor by a cancel', async () => {
    const live = await insertIncidents(db, [record('s9', 'L', 1)], ACTOR);
    const drill = await insertIncidents(db, [record('s9', 'L-drill-update', 2, { refers: ['L'], drill: true })], ACTOR);
    expect(drill.refs[0]!).toMatchObject({ id: live.refs[0]!.id, outcome: 'duplicate' });
    await recordNotices(db, [{ index: 0, kind: 'cancel', source: 's9', externalId: 'drill-cancel', refers: ['L'], version: [3], note: '', drill: true }], ACTOR, '2026-12-01T00:10:00.000Z');
    expect((await getIncident(db, live.refs[0]!.id))!).toMatchObject({ status: 'reported', title: 'v1', drill: false });
  });
});

describe('notices about earlier records', () => {
  it('a cancel names an alert by an alias and ends every open incident of it; an ack changes nothing', async () => {
    const made = await insertIncidents(db, [record('s7', 'X#1.1', 5, { aliases: ['X#*'] }), record('s7', 'X#1.2', 5, { aliases: ['X#*'] })], ACTOR);
    const ack = await recordNotices(db, [{ index: 0, kind: 'ack', source: 's7', externalId: 'ack-1', refers: ['X', 'X#*'], version: [6], note: 'seen' }], ACTOR, '2026-12-01T00:07:00.000Z');
    expect(ack.events).toEqual([]);
    expect(ack.notices[0]!.incidentIds.sort()).toEqual(made.refs.map((r) => r.id).sort());
    const cancel = await recordNotices(db, [{ index: 0, kind: 'cancel', source: 's7', externalId: 'cancel-1', refers: ['X', 'X#*'], version: [7, 2], note: '' }], ACTOR, '2026-12-01T00:08:00.000Z');
    expect(cancel.events.map((e) => e.type)).toEqual(['incident:updated', 'incident:updated']);
    for (const ref of made.refs) expect((await getIncident(db, ref.id))!.status).toBe('cancelled');
    await expectGaplessLog();
  });

  it('a cancel that arrives before its alert ends the alert when it comes, unless the alert is newer', async () => {
    const cancel = await recordNotices(db, [{ index: 0, kind: 'cancel', source: 's8', externalId: 'cancel-Y', refers: ['Y', 'Y#*'], version: [100, 2], note: '' }], ACTOR, '2026-12-01T00:09:00.000Z');
    expect(cancel.notices[0]!.incidentIds).toEqual([]);
    const late = await insertIncidents(db, [record('s8', 'Y', 50)], ACTOR);
    expect((await getIncident(db, late.refs[0]!.id))!.status).toBe('cancelled');
    const newer = await insertIncidents(db, [record('s8', 'Z', 200, { aliases: ['Y#*'] })], ACTOR);
    expect((await getIncident(db, newer.refs[0]!.id))!.status).toBe('reported');
  });
});

describe('property: any interleaving of versions ends at the newest', () => {
  it('random versions of random records, repeated, shuffled and split into random batches', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Up to 4 records, each with up to 5 distinct versions; every version sent 1–3 times.
        fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 20, maxLength: 20 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 60, maxLength: 60 }),
        async (records, repeats, shuffleKeys, splits) => {
          const source = `prop-${++run}`;
          const sends: { rec: number; version: number }[] = [];
          records.forEach((versions, rec) => versions.forEach((version, k) => {
            for (let t = 0; t < (repeats[(rec * 5 + k) % repeats.length] ?? 1); t++) sends.push({ rec, version });
          }));
          const keys = sends.map(() => shuffleKeys.next().value as number);
          const order = sends.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b).map((i) => sends[i]!);

          // The naive model: one record at a time, the running newest version per record.
          const newest = new Map<number, number>();
          let expectedChanges = 0;
          for (const s of order) {
            const known = newest.get(s.rec);
            if (known === undefined || s.version > known) {
              newest.set(s.rec, s.version);
              expectedChanges++;
            }
          }

          const headBefore = await eventLogReader(db).head();
          for (let at = 0, k = 0; at < order.length; k++) {
            const size = splits[k % splits.length]!;
            await insertIncidents(db, order.slice(at, at + size).map((s) => record(source, `r${s.rec}`, s.version)), ACTOR);
            at += size;
          }
          for (const [rec, version] of newest) {
            const found = await find(source, `r${rec}`);
            expect(found).toHaveLength(1);
            expect(found[0]!.title).toBe(`v${version}`);
          }
          const [changes] = await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM incident_changes c JOIN incidents i ON i.id = c.incident_id WHERE i.source = $1',
            [source],
          );
          expect(changes!.n).toBe(expectedChanges);
          expect((await eventLogReader(db).head()) - headBefore).toBe(expectedChanges);
          await expectGaplessLog();
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
