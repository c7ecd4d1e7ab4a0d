/**
 * The accountability clocks and KPIs of docs/domain.md §15 computed a second way, from what
 * `GET /api/v1/incidents/{id}/history` answers, for tests to compare the server with. Written from
 * the definitions, not from the server's code: working time by plain day arithmetic in a fixed
 * UTC offset (the tests use Asia/Shanghai, which has no daylight saving), no shared helpers.
 */
import type { ClockName, IncidentChange, SlaConfig, Status } from '../../server/contract/index.ts';

const DAY = 86_400_000;
const H = 3_600_000;
const CLOCK_NAMES: ClockName[] = ['ack', 'dispatch', 'arrive', 'resolve'];
const FINAL: Status[] = ['resolved', 'rejected', 'cancelled'];
const REACHES: Record<Exclude<ClockName, 'arrive'>, Status[]> = {
  ack: ['acknowledged', 'dispatched', 'resolved'],
  dispatch: ['dispatched', 'resolved'],
  resolve: ['resolved'],
};

export interface OracleIncident {
  id: string;
  regionCode: string | null;
  category: string;
  severity: string;
  history: IncidentChange[];
}

/** Working time of a Monday–Friday-style calendar at a fixed UTC offset. */
export function fixedOffsetCalendar(config: SlaConfig, offsetHours: number) {
  const w = config.workingHours;
  const [sh, sm] = w.start.split(':').map(Number);
  const [eh, em] = w.end.split(':').map(Number);
  const offset = offsetHours * H;
  const windowOf = (localDay: number): [number, number] | null => {
    const date = new Date(localDay * DAY).toISOString().slice(0, 10);
    const weekday = new Date(localDay * DAY).getUTCDay() || 7;
    const worked = (w.workdays ?? []).includes(date) || (w.weekdays.includes(weekday) && !(w.holidays ?? []).includes(date));
    const midnight = localDay * DAY - offset;
    return worked ? [midnight + (sh! * 60 + sm!) * 60_000, midnight + (eh! * 60 + em!) * 60_000] : null;
  };
  const dayOf = (t: number) => Math.floor((t + offset) / DAY);
  return {
    between(a: number, b: number): number {
      let sum = 0;
      for (let d = dayOf(a); d * DAY - offset < b; d++) {
        const win = windowOf(d);
        if (win) sum += Math.max(0, Math.min(b, win[1]) - Math.max(a, win[0]));
      }
      return sum;
    },
    due(a: number, targetMs: number): number {
      let left = targetMs;
      for (let d = dayOf(a); ; d++) {
        const win = windowOf(d);
        if (!win || win[1] <= Math.max(a, win[0])) continue;
        const from = Math.max(a, win[0]);
        if (left <= win[1] - from) return from + left;
        left -= win[1] - from;
      }
    },
  };
}

type Calendar = ReturnType<typeof fixedOffsetCalendar>;

export interface OracleClock {
  state: 'running' | 'met' | 'overdue';
  elapsed: number;
  dueAt: string;
  stoppedAt: string | null;
}

function targetsOf(config: SlaConfig, category: string, severity: string) {
  const o = config.overrides;
  return (
    o.find((x) => x.category === category && x.severity === severity) ??
    o.find((x) => x.category === category && x.severity === undefined) ??
    o.find((x) => x.category === undefined && x.severity === severity) ??
    config.default
  );
}

/** What an incident's history says at `asOf`: status, closing, and each clock (`null`: it does not apply). */
export function oracleClocks(incident: OracleIncident, config: SlaConfig, cal: Calendar, asOf: number) {
  const seen = incident.history.filter((c) => Date.parse(c.at) <= asOf);
  if (seen.length === 0) return null;
  const reported = Date.parse(seen[0]!.at);
  const steps = seen.slice(1).filter((c) => c.from !== c.to);
  const status = seen.at(-1)!.to;
  const arrivedClosed = FINAL.includes(seen[0]!.to);
  const closed = arrivedClosed || steps.some((c) => FINAL.includes(c.to));
  const onScene = seen.find((c) => c.assignment?.to === 'on_scene');
  const t = targetsOf(config, incident.category, incident.severity);
  const within: Record<ClockName, number | undefined> = { ack: t.ackWithin, dispatch: t.dispatchWithin, arrive: t.arriveWithin, resolve: t.resolveWithin };
  const clocks = {} as Record<ClockName, OracleClock | null>;
  for (const name of CLOCK_NAMES) {
    const stopChange = name === 'arrive' ? onScene : steps.find((c) => REACHES[name].includes(c.to));
    const stop = stopChange ? Date.parse(stopChange.at) : null;
    const target = within[name];
    if (target === undefined || arrivedClosed || (stop === null && closed)) {
      clocks[name] = null;
      continue;
    }
    const working = t.workingHours?.includes(name) ?? false;
    const end = stop ?? asOf;
    const due = working ? cal.due(reported, target * 1000) : reported + target * 1000;
    const elapsedMs = working ? cal.between(reported, end) : end - reported;
    const state = stop !== null ? (stop <= due ? 'met' : 'overdue') : asOf > due ? 'overdue' : 'running';
    clocks[name] = { state, elapsed: elapsedMs / 1000, dueAt: new Date(due).toISOString(), stoppedAt: stop === null ? null : new Date(stop).toISOString() };
  }
  return { reported, status, closed, clocks };
}

const rank = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
};

/** The KPI groups of `[from, to)` read at `min(to, now)`, keyed as `groupBy` says (`keysOf` for agency and unit). */
export function oracleKpis(
  incidents: readonly OracleIncident[],
  config: SlaConfig,
  cal: Calendar,
  period: { from: number; to: number; now: number },
  keysOf: (incident: OracleIncident, asOf: number) => (string | null)[],
) {
  const asOf = Math.min(period.to, period.now);
  const groups = new Map<string | null, { count: number; resolved: number; met: number; late: number; judged: number; backlog: number; overdueOpen: number; samples: Record<ClockName, number[]> }>();
  for (const incident of incidents) {
    const read = oracleClocks(incident, config, cal, asOf);
    if (!read || read.reported >= period.to) continue;
    const counted = read.reported >= period.from && read.status !== 'rejected' && read.status !== 'cancelled';
    const open = !read.closed;
    const overdueNow = open && CLOCK_NAMES.some((c) => read.clocks[c]?.state === 'overdue' && read.clocks[c]?.stoppedAt === null);
    if (!counted && !open) continue;
    for (const key of new Set(keysOf(incident, asOf))) {
      if (!groups.has(key)) groups.set(key, { count: 0, resolved: 0, met: 0, late: 0, judged: 0, backlog: 0, overdueOpen: 0, samples: { ack: [], dispatch: [], arrive: [], resolve: [] } });
      const g = groups.get(key)!;
      if (open) g.backlog += 1;
      if (overdueNow) g.overdueOpen += 1;
      if (!counted) continue;
      g.count += 1;
      if (read.status === 'resolved') g.resolved += 1;
      if (read.clocks.resolve?.state === 'met') g.met += 1;
      if (read.clocks.resolve?.state === 'overdue') g.late += 1;
      // Judged, read straight from the definition: its resolve clock stopped, or ran past its due time by then.
      const resolve = read.clocks.resolve;
      if (resolve && (resolve.stoppedAt !== null || asOf > Date.parse(resolve.dueAt))) g.judged += 1;
      for (const c of CLOCK_NAMES) if (read.clocks[c]?.stoppedAt) g.samples[c].push(read.clocks[c]!.elapsed);
    }
  }
  const kpi = (values: number[]) => ({ median: rank(values, 50), p90: rank(values, 90), samples: values.length });
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({
      key,
      count: g.count,
      resolved: g.resolved,
      resolutionRate: g.count ? g.resolved / g.count : null,
      onTimeShare: g.met + g.late ? g.met / (g.met + g.late) : null,
      judged: g.judged,
      overdueOpen: g.overdueOpen,
      backlog: g.backlog,
      ack: kpi(g.samples.ack),
      dispatch: kpi(g.samples.dispatch),
      arrive: kpi(g.samples.arrive),
      resolve: kpi(g.samples.resolve),
    }));
}
