import { describe, expect, it } from 'vitest';
import { MeasuresConfigInput, type Measure, type MeasuresConfig } from '../../contract/measures.ts';
import { DEFAULT_MEASURES_CONFIG } from './default-config.ts';
import { checklist, districtMeasures, incidentMeasures } from './measures.ts';

const m = (id: string): Measure => ({ id, text: { 'zh-CN': `${id}（中）`, en: `${id} (en)` } });

/** A small config written by hand: two red measures, one flood override, flood and fire additions. */
const CONFIG: MeasuresConfig = {
  version: 4,
  levels: { red: [m('r1'), m('r2')], orange: [m('o1')], yellow: [], blue: [], green: [m('g1')] },
  categories: {
    flood: { red: [{ id: 'r2', text: { 'zh-CN': '防汛版 r2', en: 'flood r2' } }, m('f1')] },
    fire: { red: [m('x1'), m('f1')] },
  },
};

describe('measures in force', () => {
  it('a level with no category behind it lists its own measures, Chinese text and English beside it', () => {
    expect(districtMeasures(CONFIG, 'orange', {})).toEqual([{ id: 'o1', text: 'o1（中）', textEn: 'o1 (en)' }]);
    expect(districtMeasures(CONFIG, 'yellow', { flood: 3 })).toEqual([]);
  });

  it('a contributing category overrides by id in place and adds the rest, largest contribution first', () => {
    // Flood (5) before fire (2): flood rewrites r2 and adds f1; fire adds x1, and its f1 is already claimed.
    expect(districtMeasures(CONFIG, 'red', { fire: 2, flood: 5, traffic: 0 }).map((x) => [x.id, x.textEn, x.category ?? null])).toEqual([
      ['r1', 'r1 (en)', null],
      ['r2', 'flood r2', 'flood'],
      ['f1', 'f1 (en)', 'flood'],
      ['x1', 'x1 (en)', 'fire'],
    ]);
    // Fire first: its f1 is the one added, and flood's override of r2 still applies.
    expect(districtMeasures(CONFIG, 'red', { fire: 9, flood: 5 }).map((x) => [x.id, x.category ?? null])).toEqual([
      ['r1', null],
      ['r2', 'flood'],
      ['x1', 'fire'],
      ['f1', 'fire'],
    ]);
  });

  it("an incident's checklist takes its own category only", () => {
    expect(incidentMeasures(CONFIG, 'red', 'fire').map((x) => x.id)).toEqual(['r1', 'r2', 'x1', 'f1']);
    expect(incidentMeasures(CONFIG, 'red', 'traffic').map((x) => x.id)).toEqual(['r1', 'r2']);
    expect(incidentMeasures(CONFIG, 'green', 'flood').map((x) => x.id)).toEqual(['g1']);
  });

  it('the checklist follows the latest tick of each measure, and a tick of a measure no longer in force is not listed', () => {
    const by = { name: 'r', role: 'responder' };
    const tick = (id: string, done: boolean, at: string) => ({ measure: { id, done, text: id, textEn: id }, at, actor: by });
    const items = checklist(incidentMeasures(CONFIG, 'red', 'traffic'), [tick('r1', true, 'T1'), tick('r2', true, 'T2'), tick('r2', false, 'T3'), tick('o1', true, 'T4')]);
    expect(items.map((i) => [i.id, i.done, i.at])).toEqual([['r1', true, 'T1'], ['r2', false, 'T3']]);
  });

  it('the default config is valid, names every level, and its ids are unique within each list', () => {
    expect(MeasuresConfigInput.safeParse(DEFAULT_MEASURES_CONFIG).success).toBe(true);
    for (const list of Object.values(DEFAULT_MEASURES_CONFIG.levels)) expect(list.length).toBeGreaterThan(0);
  });

  it('a config naming a measure twice, an unknown category or a level without English is refused where it is wrong', () => {
    const paths = (input: unknown) => {
      const parsed = MeasuresConfigInput.safeParse(input);
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ ...CONFIG, levels: { ...CONFIG.levels, red: [m('r1'), m('r1')] } })).toEqual(['levels.red.1.id']);
    expect(paths({ ...CONFIG, categories: { wildfire: { red: [m('w')] } } })[0]).toMatch(/^categories/);
    expect(paths({ ...CONFIG, levels: { ...CONFIG.levels, green: [{ id: 'g1', text: { 'zh-CN': '巡查' } }] } })).toEqual(['levels.green.0.text.en']);
    expect(paths({ ...CONFIG, levels: { ...CONFIG.levels, green: [{ id: 'Bad Id', text: { 'zh-CN': 'a', en: 'a' } }] } })).toEqual(['levels.green.0.id']);
  });
});
