import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Category, Severity, Status } from '../../contract/incidents.ts';
import { DEFAULT_RISK_CONFIG, type RiskLevel } from './config.ts';
import { rateAll, rateRegion, type PreviousRating } from './rate.ts';
import type { RiskIncident } from './score.ts';

const HOUR = 3_600_000;
const TOLERANCE = 1e-9;

/** A golden fixture written by fixtures/compute_fixtures.py (a separate, naive implementation). */
interface Fixture {
  name: string;
  description: string;
  now: string;
  population: number | null;
  previous: { level: RiskLevel; sinceHoursAgo: number } | null;
  incidents: { id: string; category: Category; severity: Severity; status: Status; ageHours: number; lon: number; lat: number; contribution: number }[];
  sum: number;
  score: number;
  populationMissing: boolean;
  expected: { rawLevel: RiskLevel; level: RiskLevel; sinceHoursAgo: number; rules: string[] };
}

const dir = new URL('./fixtures/', import.meta.url);
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Fixture);

function incidentsOf(f: Fixture, nowMs: number): RiskIncident[] {
  return f.incidents.map((x) => ({ ...x, regionCode: 'R', occurredAtMs: nowMs - x.ageHours * HOUR }));
}

describe('golden fixtures (docs/domain.md §5)', () => {
  it('has the fixtures the spec asks for', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(13);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const nowMs = Date.parse(f.now);
    const previous: PreviousRating | null = f.previous && { level: f.previous.level, sinceMs: nowMs - f.previous.sinceHoursAgo * HOUR };
    const rating = rateRegion({ incidents: incidentsOf(f, nowMs), population: f.population, previous, nowMs, config: DEFAULT_RISK_CONFIG });
    expect(Math.abs(rating.score - f.score)).toBeLessThanOrEqual(TOLERANCE);
    const byCategory = Object.values(rating.explanation.byCategory).reduce((a, b) => a + b, 0);
    expect(Math.abs(byCategory - f.sum)).toBeLessThanOrEqual(TOLERANCE);
    expect(rating.populationMissing).toBe(f.populationMissing);
    expect(rating.rawLevel).toBe(f.expected.rawLevel);
    expect(rating.level).toBe(f.expected.level);
    expect(rating.sinceMs).toBe(nowMs - f.expected.sinceHoursAgo * HOUR);
    expect(rating.explanation.rules.map((r) => r.code)).toEqual(f.expected.rules);
  });
});

describe('rateRegion', () => {
  const nowMs = Date.parse('2026-11-23T08:00:00Z');
  const config = DEFAULT_RISK_CONFIG;

  it('rates a region with no incidents and no previous state green, since now', () => {
    const r = rateRegion({ incidents: [], population: 5000, previous: null, nowMs, config });
    expect([r.level, r.sinceMs, r.score, r.clusters]).toEqual(['green', nowMs, 0, 0]);
  });

  it('steps up at once, with sinceMs = now, whatever the hold time', () => {
    const severe: RiskIncident = { id: 'a', regionCode: 'R', category: 'fire', severity: 'severe', status: 'reported', occurredAtMs: nowMs, lon: 120, lat: 30, };
    const r = rateRegion({ incidents: [severe, { ...severe, id: 'b', lon: 121 }], population: 10000, previous: { level: 'blue', sinceMs: nowMs - HOUR }, nowMs, config });
    expect([r.level, r.sinceMs, r.reason]).toEqual(['red', nowMs, 'score 10 ≥ 10']);
  });

  it('walks red down one level per 24 h of quiet: red, red, orange, orange, yellow, blue, green', () => {
    let previous: PreviousRating = { level: 'red', sinceMs: 0 };
    const seen: RiskLevel[] = [];
    for (const hours of [12, 23, 24, 47, 48, 72, 96]) {
      const r = rateRegion({ incidents: [], population: 1000, previous, nowMs: hours * HOUR, config });
      seen.push(r.level);
      previous = { level: r.level, sinceMs: r.sinceMs };
    }
    expect(seen).toEqual(['red', 'red', 'orange', 'orange', 'yellow', 'blue', 'green']);
  });

  it('says until when hysteresis holds the level', () => {
    const r = rateRegion({ incidents: [], population: 1000, previous: { level: 'orange', sinceMs: nowMs - 2 * HOUR }, nowMs, config });
    expect(r.reason).toBe('held at orange for hysteresis until 2026-11-24T06:00:00.000Z (rules say green)');
  });

  it('drops straight to the raw level when hysteresis is disabled', () => {
    const r = rateRegion({ incidents: [], population: 1000, previous: { level: 'red', sinceMs: nowMs - HOUR }, nowMs, config: { ...config, hysteresis: { enabled: false, stepDownHours: 24 } } });
    expect([r.level, r.sinceMs]).toEqual(['green', nowMs]);
  });

  it('ignores the escalation rules when they are disabled', () => {
    const extreme: RiskIncident = { id: 'x', regionCode: 'R', category: 'hazmat', severity: 'extreme', status: 'reported', occurredAtMs: nowMs, lon: 120, lat: 30 };
    const off = { ...config, extreme: { ...config.extreme, enabled: false } };
    expect(rateRegion({ incidents: [extreme], population: 1e5, previous: null, nowMs, config: off }).level).toBe('blue');
    expect(rateRegion({ incidents: [extreme], population: 1e5, previous: null, nowMs, config }).level).toBe('orange');
  });
});

describe('rateAll', () => {
  const nowMs = Date.parse('2026-11-23T08:00:00Z');
  const at = (id: string, lon: number, severity: Severity): RiskIncident => ({ id, regionCode: 'A', category: 'fire', severity, status: 'reported', occurredAtMs: nowMs - HOUR, lon, lat: 30 });

  it('rates every region and lists the level changes with the deciding rule', () => {
    const near = (id: string, m: number) => at(id, 120 + m / 96_000, 'minor');
    const { ratings, changes } = rateAll(
      [{ code: 'A', population: 100_000 }, { code: 'B', population: 2000 }, { code: 'C', population: 3000 }, { code: 'D', population: 0 }],
      new Map([
        ['A', [near('a1', 0), near('a2', 100), near('a3', 200), near('a4', 300)]],
        ['B', [at('b1', 121, 'severe')]],
      ]),
      new Map<string, PreviousRating>([['A', { level: 'green', sinceMs: 0 }], ['C', { level: 'green', sinceMs: 0 }], ['D', { level: 'red', sinceMs: nowMs - 30 * HOUR }]]),
      nowMs,
      DEFAULT_RISK_CONFIG,
    );
    expect(ratings.size).toBe(4);
    expect(ratings.get('C')?.sinceMs).toBe(0);
    expect(changes).toEqual([
      { code: 'A', from: 'green', to: 'yellow', reason: 'cluster of 4 within 500 m lifts to yellow' },
      { code: 'B', from: null, to: 'red', reason: expect.stringMatching(/^score 24\.\d+ ≥ 10$/) },
      { code: 'D', from: 'red', to: 'orange', reason: 'stepped down one level from red after 24 h (rules say green)' },
    ]);
  });
});
