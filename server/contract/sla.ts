/**
 * Accountability clocks and KPIs (docs/domain.md §15): the targets an administrator sets per
 * category and severity, each incident's four clocks, the KPI answer and the events. Shared by
 * server and client.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import { Category, Severity } from './incidents.ts';

/** The four clocks, in the order an incident meets them; each starts when the incident is reported. */
export const CLOCKS = ['ack', 'dispatch', 'arrive', 'resolve'] as const;
export const ClockName = z.enum(CLOCKS);
export type ClockName = z.infer<typeof ClockName>;

/** Longest target: a year. */
const MAX_TARGET_SECONDS = 366 * 86_400;

const seconds = (field: string) =>
  z
    .number({ message: `${field} must be a number of seconds` })
    .int({ message: `${field} must be a whole number of seconds` })
    .min(1, { message: `${field} must be at least 1 second` })
    .max(MAX_TARGET_SECONDS, { message: `${field} must be at most ${MAX_TARGET_SECONDS} seconds (a year)` });

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after midnight of `HH:MM` (24:00 is 1440). */
export function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const calendarDate = (field: string) =>
  z.string().regex(DATE, { message: `${field} must be dates written YYYY-MM-DD` }).refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, { message: `${field} must be calendar dates` });

/**
 * The centre's office hours, for targets counted in working hours (12345 appeals are answered in
 * working days): one window a day on the listed weekdays, in the centre's time zone. `holidays`
 * are dates not worked; `workdays` are dates worked although their weekday is not (调休).
 */
export const WorkingHours = z
  .strictObject({
    timeZone: z.string({ message: 'workingHours.timeZone must be an IANA time zone' }).refine(knownTimeZone, { message: 'workingHours.timeZone must be an IANA time zone such as Asia/Shanghai' }),
    /** ISO weekdays: Monday 1 … Sunday 7. */
    weekdays: z
      .array(z.number().int().min(1).max(7), { message: 'workingHours.weekdays must be a list of ISO weekdays 1 (Monday) to 7 (Sunday)' })
      .min(1, { message: 'workingHours.weekdays must name at least one weekday' })
      .max(7)
      .refine((days) => new Set(days).size === days.length, { message: 'workingHours.weekdays names a day twice' }),
    /** `HH:MM`, local time. */
    start: z.string().regex(HH_MM, { message: 'workingHours.start must be a time HH:MM' }),
    /** `HH:MM`, after `start`; `24:00` is the end of the day. */
    end: z.string().regex(HH_MM, { message: 'workingHours.end must be a time HH:MM (24:00 for midnight)' }),
    holidays: z.array(calendarDate('workingHours.holidays')).max(2000).optional(),
    workdays: z.array(calendarDate('workingHours.workdays')).max(2000).optional(),
  })
  .refine((w) => minuteOfDay(w.start) < minuteOfDay(w.end), { message: 'workingHours.end must be after workingHours.start (a window crossing midnight is not supported)', path: ['end'] });
export type WorkingHours = z.infer<typeof WorkingHours>;

const targetFields = (where: string) => ({
  ackWithin: seconds(`${where}.ackWithin`),
  dispatchWithin: seconds(`${where}.dispatchWithin`),
  /** Left out: no unit is expected on scene (appeals answered by phone or letter), so no arrive clock. */
  arriveWithin: seconds(`${where}.arriveWithin`).optional(),
  resolveWithin: seconds(`${where}.resolveWithin`),
  /** The clocks counted in working hours (the others run day and night). */
  workingHours: z
    .array(ClockName, { message: `${where}.workingHours must list clocks: ${CLOCKS.join(', ')}` })
    .max(CLOCKS.length)
    .refine((c) => new Set(c).size === c.length, { message: `${where}.workingHours names a clock twice` })
    .optional(),
});

/** Targets of the four clocks, in seconds. */
export const ClockTargets = z.strictObject(targetFields('default'));
export type ClockTargets = z.infer<typeof ClockTargets>;

/** Targets for one category, one severity, or one category at one severity. */
export const SlaOverride = z
  .strictObject({ category: Category.optional(), severity: Severity.optional(), ...targetFields('overrides[]') })
  .refine((o) => o.category !== undefined || o.severity !== undefined, { message: 'an override must name a category, a severity or both' });
export type SlaOverride = z.infer<typeof SlaOverride>;

const VERSION = z.number({ message: 'version must be a number' }).int({ message: 'version must be a whole number' }).positive({ message: 'version must be greater than 0' });
const configFields = { workingHours: WorkingHours, default: ClockTargets, overrides: z.array(SlaOverride).max(500) };

/** Two overrides for the same category and severity would leave which one applies to chance. */
function noRepeatedOverride(c: { overrides: SlaOverride[] }, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  c.overrides.forEach((o, i) => {
    const key = `${o.category ?? '*'}/${o.severity ?? '*'}`;
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['overrides', i], message: `overrides[${i}] repeats overrides[${first}] (${key})` });
    else seen.set(key, i);
  });
}

/**
 * An administrator's clock targets, parsed at the edge. The most specific override applies
 * (category and severity, then category, then severity), else `default`.
 */
export const SlaConfigInput = z.strictObject({ version: VERSION, ...configFields }).superRefine(noRepeatedOverride);
export type SlaConfig = z.infer<typeof SlaConfigInput>;

/** Body of `PUT /api/v1/sla/config`: a whole config; `version` omitted or the current + 1 (else 409). */
export const SlaConfigUpdate = z.strictObject({ version: VERSION.optional(), ...configFields }).superRefine(noRepeatedOverride);
export type SlaConfigUpdate = z.infer<typeof SlaConfigUpdate>;

/** A stored config version: who saved it and when. */
export interface SlaConfigRecord {
  config: SlaConfig;
  /** `null` for the built-in default nobody saved. */
  savedAt: string | null;
  savedBy: Actor | null;
}

/**
 * One clock of one incident at an instant. `running`: not stopped, not past due. `met`: stopped
 * at or before `dueAt`. `overdue`: stopped after `dueAt`, or still running after it.
 */
export interface IncidentClock {
  /** Seconds allowed (working seconds when `workingHours`). */
  target: number;
  workingHours: boolean;
  /** When the incident was reported: every clock starts then. */
  startedAt: string;
  /** When the target is used up; `null` when the working calendar never reaches it (no working day within ten years). */
  dueAt: string | null;
  /** When the incident reached the clock's stage; `null` while it runs. */
  stoppedAt: string | null;
  /** Seconds from start to stop (or to the instant read), counted as the target counts. */
  elapsed: number;
  state: 'running' | 'met' | 'overdue';
}

/**
 * An incident's clocks at `at`. A clock is `null` when it does not apply: its target is left out
 * (arrival), the incident closed (rejected, cancelled, or resolved without that step) before
 * reaching its stage, or it arrived already closed. `arrive` is absent when the server keeps no
 * arrivals.
 */
export interface IncidentClocks {
  at: string;
  configVersion: number;
  ack: IncidentClock | null;
  dispatch: IncidentClock | null;
  arrive?: IncidentClock | null;
  resolve: IncidentClock | null;
}

/** How `GET /api/v1/kpis` groups incidents. */
export const KpiGroupBy = z.enum(['region', 'category', 'agency', 'unit']);
export type KpiGroupBy = z.infer<typeof KpiGroupBy>;

/** Times a clock took, over the clocks that stopped: nearest-rank median and 90th percentile, in seconds. */
export interface ClockKpi {
  median: number | null;
  p90: number | null;
  /** Stopped clocks measured. */
  samples: number;
}

/** One group's KPIs (docs/domain.md §15.4). */
export interface KpiGroup {
  /** Region code, category, agency or unit id; `null`: outside every region, or no unit assigned. */
  key: string | null;
  count: number;
  resolved: number;
  resolutionRate: number | null;
  /** `met / judged` of the resolve clocks; `null` when none is judged. */
  onTimeShare: number | null;
  /**
   * Counted incidents whose resolve clock is decided at `asOf` (stopped, or running past due): the
   * denominator of `onTimeShare`, so several groups' shares add up exactly.
   */
  judged: number;
  overdueOpen: number;
  backlog: number;
  ack: ClockKpi;
  dispatch: ClockKpi;
  arrive: ClockKpi;
  resolve: ClockKpi;
}

/** Answer of `GET /api/v1/kpis`. */
export interface KpiAnswer {
  from: string;
  to: string;
  /** The instant the incidents' states were read at: `to`, or now when `to` is later. */
  asOf: string;
  groupBy: KpiGroupBy;
  configVersion: number;
  groups: KpiGroup[];
}

/** `sla:configured`: a new clock config was saved. */
export interface SlaConfiguredEvent {
  seq: number;
  version: number;
  at: string;
  by: Actor;
}

/** `incident:overdue`: one clock of an open incident passed its due time (sent once per incident and clock). */
export interface IncidentOverdueEvent {
  seq: number;
  incidentId: string;
  clock: ClockName;
  dueAt: string;
  target: number;
  workingHours: boolean;
  /** When the server found it. */
  at: string;
  configVersion: number;
  category: z.infer<typeof Category>;
  severity: z.infer<typeof Severity>;
  regionCode: string | null;
  lon: number;
  lat: number;
}
