/**
 * Plays a compressed day of dispatches against a running server, so a newcomer sees the flow on
 * the map and the console: `npm run simulate:dispatch -- [--speed 60] [--url U] [--token T]
 * [--duration S] [--max-active 6] [--seed N]`. Over the HTTP API, with an admin or dispatcher
 * token, it takes open incidents that have no unit yet, assigns each the unit the server
 * recommends (GET /incidents/{id}/recommend, POST .../assignments), then accepts, sets off, posts
 * positions along the way, arrives after the estimated time, and clears with a disposition. Time
 * runs `--speed` times faster than the clock (60: one simulated minute a second, a day in 24 min).
 */
import { parseArgs } from 'node:util';
import { positiveNumber, resolveToken } from './cli-options.ts';
import { driveToward } from '../server/demo/unit-motion.ts';
import { mulberry32, uniform } from '../server/demo/random.ts';
import { haversineM } from '../server/domain/spatial/haversine.ts';

const USAGE = 'usage: npm run simulate:dispatch -- [--speed 60] [--url http://127.0.0.1:3000] [--token T] [--duration S] [--max-active 6] [--seed N]';
const TICK_MS = 1000;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        speed: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        duration: { type: 'string' },
        'max-active': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    fail((err as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const speed = positiveNumber('speed', values.speed, 60, fail);
const durationS = values.duration === undefined ? undefined : positiveNumber('duration', values.duration, 1, fail);
const maxActive = Math.floor(positiveNumber('max-active', values['max-active'], 6, fail));
const baseUrl = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const token = resolveToken(values.token, fail);
const rand = mulberry32(values.seed === undefined ? Date.now() >>> 0 : Number(values.seed) >>> 0);

/** Synthetic closing notes: what a crew might write when it clears. */
const DISPOSITIONS = ['[合成] 已处置完毕，现场恢复正常', '[合成] 已排除隐患，移交属地跟进', '[合成] 误报，现场无异常', '[合成] 已救治并送医', '[合成] 已疏导交通，道路恢复通行'];

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

type Point = { lon: number; lat: number };
interface Run {
  assignmentId: string;
  unitId: string;
  incidentId: string;
  target: Point;
  position: Point | null;
  step: 'assigned' | 'accepted' | 'en_route' | 'on_scene';
  /** Simulated time of the next step, ms. */
  nextAt: number;
  /** Straight-line metres per simulated second while driving. */
  metresPerSecond: number;
}

const runs = new Map<string, Run>();
const tried = new Set<string>();
const totals = { assigned: 0, cleared: 0, positions: 0, refused: 0 };
const startedMs = Date.now();
const simNow = (): number => startedMs + (Date.now() - startedMs) * speed;

/** Takes one open incident with no unit yet and assigns it the first recommended unit. */
async function dispatchOne(): Promise<void> {
  const open = await call('GET', '/incidents?status=reported&limit=200');
  if (open.status !== 200) throw new Error(`GET /incidents answered ${open.status}: ${JSON.stringify(open.body)}`);
  const next = (open.body.features as { id: string }[]).find((f) => !tried.has(f.id));
  if (!next) return;
  tried.add(next.id);
  const rec = await call('GET', `/incidents/${encodeURIComponent(next.id)}/recommend`);
  const best = rec.status === 200 ? (rec.body.units as { unitId: string; etaSeconds: number; distanceMeters: number }[])[0] : undefined;
  if (!best) return;
  const created = await call('POST', `/incidents/${encodeURIComponent(next.id)}/assignments`, { unitId: best.unitId });
  if (created.status !== 201) {
    totals.refused++;
    return;
  }
  const incident = await call('GET', `/incidents/${encodeURIComponent(next.id)}`);
  const coordinates = incident.body?.geometry?.type === 'Point' ? (incident.body.geometry.coordinates as [number, number]) : null;
  const units = await call('GET', '/units');
  const unit = (units.body.features as { id: string; geometry: { coordinates: [number, number] } | null }[]).find((u) => u.id === best.unitId);
  const position = unit?.geometry ? { lon: unit.geometry.coordinates[0], lat: unit.geometry.coordinates[1] } : null;
  totals.assigned++;
  runs.set(created.body.id, {
    assignmentId: created.body.id,
    unitId: best.unitId,
    incidentId: next.id,
    target: coordinates ? { lon: coordinates[0], lat: coordinates[1] } : (position ?? { lon: 0, lat: 0 }),
    position: coordinates ? position : null,
    step: 'assigned',
    nextAt: simNow() + uniform(rand, 30, 120) * 1000,
    metresPerSecond: best.etaSeconds > 0 ? best.distanceMeters / best.etaSeconds : 10,
  });
}

async function patch(run: Run, status: string, disposition?: string): Promise<boolean> {
  const res = await call('PATCH', `/assignments/${encodeURIComponent(run.assignmentId)}`, { status, ...(disposition && { disposition }) });
  if (res.status === 200) return true;
  // Someone else moved it (an operator, another simulator): leave it to them.
  console.warn(`${run.unitId} → ${status}: ${res.status} ${JSON.stringify(res.body)}`);
  runs.delete(run.assignmentId);
  return false;
}

/** Moves every run one tick of simulated time on; posts the positions of units driving. */
async function advance(dtSimS: number): Promise<void> {
  const now = simNow();
  const reports: { unitId: string; lon: number; lat: number; at: string; speed: number }[] = [];
  for (const run of [...runs.values()]) {
    if (run.step === 'en_route' && run.position) {
      run.position = driveToward(run.position, run.target, run.metresPerSecond * dtSimS);
      reports.push({ unitId: run.unitId, ...run.position, at: new Date().toISOString(), speed: run.metresPerSecond });
      if (haversineM(run.position.lon, run.position.lat, run.target.lon, run.target.lat) < 1) run.nextAt = Math.min(run.nextAt, now);
    }
    if (now < run.nextAt) continue;
    if (run.step === 'assigned' && (await patch(run, 'accepted'))) Object.assign(run, { step: 'accepted', nextAt: now + uniform(rand, 10, 60) * 1000 });
    else if (run.step === 'accepted' && (await patch(run, 'en_route'))) Object.assign(run, { step: 'en_route', nextAt: run.position ? Number.POSITIVE_INFINITY : now + 600_000 });
    else if (run.step === 'en_route' && (await patch(run, 'on_scene'))) Object.assign(run, { step: 'on_scene', nextAt: now + uniform(rand, 10, 45) * 60_000 });
    else if (run.step === 'on_scene' && (await patch(run, 'cleared', DISPOSITIONS[Math.floor(rand() * DISPOSITIONS.length)]))) {
      runs.delete(run.assignmentId);
      totals.cleared++;
    }
  }
  if (reports.length > 0) {
    const res = await call('POST', '/units/positions', reports);
    totals.positions += res.status === 200 ? (res.body.accepted as number) : 0;
  }
}

console.log(`dispatch simulator → ${baseUrl} at ${speed}× (one simulated hour every ${Math.round(3600 / speed)} s)${durationS ? ` for ${durationS} s` : ''}; Ctrl-C stops`);
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
});
let lastSim = simNow();
let lastLog = Date.now();
while (!stopping && (durationS === undefined || Date.now() - startedMs < durationS * 1000)) {
  const tickStart = Date.now();
  try {
    if (runs.size < maxActive) await dispatchOne();
    const now = simNow();
    await advance((now - lastSim) / 1000);
    lastSim = now;
  } catch (err) {
    console.error(`server unreachable or refused (${(err as Error).message}); retrying`);
  }
  if (Date.now() - lastLog >= 10_000) {
    lastLog = Date.now();
    const simHours = ((simNow() - startedMs) / 3_600_000).toFixed(1);
    console.log(`sim +${simHours} h: ${totals.assigned} assigned, ${totals.cleared} cleared, ${runs.size} active, ${totals.positions} positions, ${totals.refused} refused`);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (Date.now() - tickStart))));
}
console.log(`done: ${totals.assigned} assigned, ${totals.cleared} cleared, ${totals.positions} positions, ${runs.size} left active`);
