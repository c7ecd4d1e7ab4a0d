/**
 * A seeded city for the KPI test: incidents reported in slots, and every later step — workflow
 * steps by an operator, or units assigned, answering, arriving and clearing — planned at a few
 * fixed offsets from the slot, so steps of several incidents fall at the same instant and go to
 * the server together (the store serialises writes; a step each at its own instant would take most
 * of the test's time). The plan is made first, units are given to assignments in time order so a
 * unit is never on two at once, and then it is played against a server whose clock it sets.
 */
import { expect } from 'vitest';
import type { AssignmentStatus, Status } from '../../server/contract/index.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { api, type TestServer } from './server.ts';

const H = 3_600_000;
/** Seconds from report to an operator's steps: each list lies after the one before. */
const ACK_AFTER = [45, 450, 845];
const DISPATCH_AFTER = [1200, 3300, 7800];
const RESOLVE_AFTER = [9000, 18_000, 47_700, 93_600, 180_000];
const REJECT_AFTER = [1250, 10_800];
/** Seconds from a unit's acceptance to its arrival, and from the first arrival to clearing. */
const ARRIVE_AFTER = [600, 1500, 4000];
const CLEAR_AFTER = [3600, 20_000, 80_000];

const AGENCIES = [
  { agency: 'fire-brigade', kind: 'fire_engine', count: 18 },
  { agency: 'police', kind: 'police_car', count: 16 },
  { agency: 'ambulance-120', kind: 'ambulance', count: 14 },
  { agency: 'utility', kind: 'utility_crew', count: 12 },
];
const CATEGORIES = ['fire', 'flood', 'traffic', 'hotline', 'public_health'];

/** Filled in as the plan is played: the ids the server gave. */
interface Ref {
  id?: string;
}
interface AssignmentRef extends Ref {
  unitId?: string;
  /** When its unit is free again (declined or cleared), or never. */
  releasedAt: number;
}

type Action =
  | { at: number; kind: 'status'; incident: Ref; to: Status }
  /** The source closes its record: a newer version with `status: closed` resolves the incident. */
  | { at: number; kind: 'close'; incident: Ref; input: Record<string, unknown> }
  | { at: number; kind: 'assign'; incident: Ref; assignment: AssignmentRef }
  | { at: number; kind: 'step'; incident: Ref; assignment: AssignmentRef; to: AssignmentStatus };

export interface Scenario {
  units: { id: string; callSign: string; kind: string; agency: string; serves: string[] }[];
  slots: { at: number; inputs: Record<string, unknown>[]; refs: Ref[] }[];
  actions: Action[];
}

export function planCity(start: number, slots: number, perSlot: number): Scenario {
  const rand = mulberry32(20_261_123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const units = AGENCIES.flatMap(({ agency, kind, count }) =>
    Array.from({ length: count }, (_, i) => ({ id: `${agency}-${i + 1}`, callSign: `${agency} ${i + 1}`, kind, agency, serves: CATEGORIES })),
  );
  const scenario: Scenario = { units, slots: [], actions: [] };
  const act = (a: Action) => scenario.actions.push(a);
  for (let slot = 0; slot < slots; slot++) {
    // Every 9 hours or so, at odd minutes and seconds: slots fall in and out of office hours.
    const reported = start + slot * 9 * H + Math.floor(rand() * 3600) * 1000;
    const at = (seconds: number) => reported + seconds * 1000;
    const entry = { at: reported, inputs: [] as Record<string, unknown>[], refs: [] as Ref[] };
    scenario.slots.push(entry);
    for (let k = 0; k < perSlot; k++) {
      const n = slot * perSlot + k;
      const category = pick([...CATEGORIES, 'hotline']);
      const input: Record<string, unknown> = {
        source: 'kpi-test',
        externalId: `k${n}`,
        category,
        severity: pick(['minor', 'moderate', 'severe']),
        lon: rand() < 0.08 ? 121.5 : 120.005 + rand() * 0.29,
        lat: 30.005 + rand() * 0.09,
        title: `kpi ${n}`,
      };
      if (rand() < 0.05) input.drill = true;
      if (rand() < 0.03) input.status = 'closed';
      const incident: Ref = {};
      entry.inputs.push(input);
      entry.refs.push(incident);
      if (input.status === 'closed') continue;
      const status = (seconds: number, to: Status) => act({ at: at(seconds), kind: 'status', incident, to });
      if (rand() < 0.08) {
        status(pick(REJECT_AFTER), 'rejected');
      } else if (category !== 'hotline' && input.drill === undefined && rand() < 0.45) {
        planDispatch(incident, at, pick, rand, act);
      } else if (rand() < 0.9) {
        status(pick(ACK_AFTER), 'acknowledged');
        if (rand() < 0.85) {
          status(pick(DISPATCH_AFTER), 'dispatched');
          const r = rand();
          if (r < 0.1) status(pick(REJECT_AFTER) + 3 * 3600, 'rejected');
          else if (r < 0.45) status(pick(RESOLVE_AFTER), 'resolved');
          else if (r < 0.8) act({ at: at(pick(RESOLVE_AFTER)), kind: 'close', incident, input: { ...input, version: 2, status: 'closed' } });
        }
      }
    }
  }
  giveUnits(scenario);
  return scenario;
}

/**
 * Units sent instead of operator steps: the assignment acknowledges, the first acceptance
 * dispatches, the last unit clearing resolves. Some first units decline; some incidents get two.
 */
function planDispatch(incident: Ref, at: (s: number) => number, pick: <T>(xs: readonly T[]) => T, rand: () => number, act: (a: Action) => void): void {
  const send = (seconds: number): AssignmentRef => {
    const assignment: AssignmentRef = { releasedAt: Number.POSITIVE_INFINITY };
    act({ at: at(seconds), kind: 'assign', incident, assignment });
    return assignment;
  };
  const step = (assignment: AssignmentRef, seconds: number, to: AssignmentStatus) => {
    act({ at: at(seconds), kind: 'step', incident, assignment, to });
    if (to === 'declined' || to === 'cleared') assignment.releasedAt = at(seconds);
  };
  let first = send(pick(ACK_AFTER));
  if (rand() < 0.12) {
    step(first, 1000, 'declined');
    first = send(1100);
  }
  const accepted = pick(DISPATCH_AFTER);
  step(first, accepted, 'accepted');
  if (rand() < 0.1) return;
  const second = rand() < 0.2 ? send(accepted) : null;
  const arrived = accepted + pick(ARRIVE_AFTER);
  step(first, accepted + 120, 'en_route');
  step(first, arrived, 'on_scene');
  if (second) {
    step(second, accepted + 300, 'accepted');
    step(second, accepted + 400, 'en_route');
    step(second, arrived + 300, 'on_scene');
  }
  const r = rand();
  if (r < 0.08) {
    act({ at: at(arrived + 1800), kind: 'status', incident, to: 'rejected' });
  } else if (r < 0.75) {
    const cleared = arrived + pick(CLEAR_AFTER);
    if (second) step(second, cleared - 600, 'cleared');
    step(first, cleared, 'cleared');
  }
}

/** Gives each assignment, in time order, a unit free since before it (never the same instant). */
function giveUnits(scenario: Scenario): void {
  const freeAt = new Map(scenario.units.map((u) => [u.id, Number.NEGATIVE_INFINITY]));
  const order = scenario.actions.map((a, i) => ({ a, i })).sort((x, y) => x.a.at - y.a.at || x.i - y.i);
  let turn = 0;
  for (const { a } of order) {
    if (a.kind !== 'assign') continue;
    const ids = [...freeAt.keys()];
    const unitId = ids.map((_, k) => ids[(turn + k) % ids.length]!).find((id) => freeAt.get(id)! < a.at);
    if (!unitId) throw new Error(`the scenario needs more units: none free at ${new Date(a.at).toISOString()}`);
    turn++;
    a.assignment.unitId = unitId;
    freeAt.set(unitId, a.assignment.releasedAt);
  }
}

/** Plays the scenario up to `end`: the register, then every report and step, the clock set to each instant. */
export async function playCity(s: TestServer, scenario: Scenario, end: number, setNow: (t: number) => void): Promise<void> {
  expect((await api(s, 'PUT', '/api/v1/units', scenario.units)).status).toBe(200);
  const moments = new Map<number, { slot?: Scenario['slots'][number]; actions: Action[] }>();
  const at = (t: number) => moments.get(t) ?? moments.set(t, { actions: [] }).get(t)!;
  for (const slot of scenario.slots) at(slot.at).slot = slot;
  for (const a of scenario.actions) if (a.at <= end) at(a.at).actions.push(a);
  for (const t of [...moments.keys()].sort((x, y) => x - y)) {
    setNow(t);
    const { slot, actions } = moments.get(t)!;
    if (slot) {
      const res = await api(s, 'POST', '/api/v1/incidents', slot.inputs);
      expect(res.status).toBe(201);
      for (const item of res.body.items as { index: number; id: string }[]) slot.refs[item.index]!.id = item.id;
    }
    // Records closed by their source at this instant: one request, as a feed sends them.
    const closes = actions.filter((a) => a.kind === 'close');
    if (closes.length > 0) {
      const res = await api(s, 'POST', '/api/v1/incidents', closes.map((a) => a.input));
      expect(res.body.updated, JSON.stringify(res.body)).toBe(closes.length);
    }
    // One incident's steps in their order; different incidents' at once.
    const chains = new Map<Ref, Action[]>();
    for (const a of actions) if (a.kind !== 'close') chains.set(a.incident, [...(chains.get(a.incident) ?? []), a]);
    await Promise.all([...chains.values()].map(async (chain) => {
      for (const a of chain) {
        if (a.kind === 'close') continue;
        const res =
          a.kind === 'status'
            ? await api(s, 'PATCH', `/api/v1/incidents/${a.incident.id}`, { status: a.to })
            : a.kind === 'assign'
              ? await api(s, 'POST', `/api/v1/incidents/${a.incident.id}/assignments`, { unitId: a.assignment.unitId })
              : await api(s, 'PATCH', `/api/v1/assignments/${a.assignment.id}`, { status: a.to, ...(a.to === 'cleared' && { disposition: '处置完毕' }) });
        expect(res.status, `${a.kind} ${JSON.stringify(res.body)}`).toBeLessThan(300);
        if (a.kind === 'assign') a.assignment.id = res.body.id;
      }
    }));
  }
}
