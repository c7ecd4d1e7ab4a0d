import { describe, expect, it } from 'vitest';
import type { IncidentChange } from '#contract/index.ts';
import { translator } from '../../i18n/i18n.ts';
import { fieldNames, historyLine } from './history-text.ts';

const change = (over: Partial<IncidentChange>): IncidentChange => ({
  seq: 7, at: '2026-11-23T08:00:00Z', actor: { name: 'NWS', role: 'feed' }, from: 'reported', to: 'reported', note: null, ...over,
});

describe('incident history lines', () => {
  it('tells a creation, an operator step and a source update apart', () => {
    expect(historyLine(change({ from: null }))).toEqual({ kind: 'created' });
    expect(historyLine(change({ from: 'reported', to: 'acknowledged' }))).toEqual({ kind: 'step', from: 'reported', to: 'acknowledged' });
    expect(historyLine(change({ fields: ['severity', 'geometry'] }))).toEqual({ kind: 'updated', fields: ['severity', 'geometry'], step: null });
    // A CAP Cancel: the source changed the status itself.
    expect(historyLine(change({ from: 'acknowledged', to: 'cancelled', fields: ['status'] }))).toEqual({
      kind: 'updated', fields: ['status'], step: { from: 'acknowledged', to: 'cancelled' },
    });
    // A tick on the checklist leaves the status as it was: it reads as the measure, not as a step.
    const measure = { id: 'red-hourly-report', done: true, text: '每小时报送一次处置进展', textEn: 'Report progress every hour' };
    expect(historyLine(change({ measure }))).toEqual({ kind: 'measure', measure });
    // An empty list is no update of anything: read as the step it records.
    expect(historyLine(change({ from: 'reported', to: 'resolved', fields: [] }))).toEqual({ kind: 'step', from: 'reported', to: 'resolved' });
  });

  it('names the updated fields in the page language, and an unknown one as sent', () => {
    expect(translator('zh-CN')('detail.updated', { fields: fieldNames(['severity', 'geometry'], translator('zh-CN'), 'zh-CN') })).toBe('更新：严重程度、位置');
    expect(translator('en')('detail.updated', { fields: fieldNames(['severity', 'geometry'], translator('en'), 'en') })).toBe('updated by source: severity, geometry');
    expect(fieldNames(['urgency', 'constructor'], translator('en'), 'en')).toBe('urgency, constructor');
    // The server's word for "a newer version that changed nothing we show".
    expect(fieldNames(['version'], translator('zh-CN'), 'zh-CN')).toBe('版本');
  });
});
