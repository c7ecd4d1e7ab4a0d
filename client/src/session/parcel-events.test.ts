import { describe, expect, it } from 'vitest';
import type { ParcelStep } from '#contract/index.ts';
import type { ParcelLogEvent } from '../live/live-client.ts';
import { ParcelEventHub, steppedCodes } from './parcel-events.ts';

const step: ParcelStep = {
  seq: 7, step: 'supplied', department: '公共资源交易中心', actor: { name: 'a', role: 'planner' }, at: '2026-02-01T00:00:00Z', note: null,
  documents: [{ title: '国有建设用地使用权出让合同', number: '杭出让〔2026〕7号', issuedAt: '2026-02-01' }],
};
const stepped = (seq: number, code: string): ParcelLogEvent => ({ type: 'parcel:stepped', seq, payload: { seq, code, from: 'planned', to: 'supplied', step } });
const imported = (seq: number): ParcelLogEvent => ({ type: 'parcels:imported', seq, payload: { seq, count: 10 } });

describe('parcel event hub', () => {
  it('tells a drawer once per batch that stepped its parcel, and not for other parcels or imports', () => {
    const hub = new ParcelEventHub();
    const calls: string[] = [];
    hub.onStepped('330106-2026-00042-0', () => calls.push('a'));
    hub.publish([stepped(1, '330106-2026-00043-9'), imported(2)]);
    expect(calls).toEqual([]);
    hub.publish([stepped(3, '330106-2026-00042-0'), stepped(4, '330106-2026-00042-0')]);
    expect(calls).toEqual(['a']);
  });

  it('stops calling after unsubscribing, and one failing listener does not stop the others', () => {
    const hub = new ParcelEventHub();
    const calls: number[] = [];
    const stop = hub.subscribe(() => calls.push(1));
    hub.subscribe(() => {
      throw new Error('broken view');
    });
    hub.subscribe(() => calls.push(3));
    const quiet = console.error;
    console.error = () => {};
    try {
      hub.publish([imported(1)]);
      stop();
      hub.publish([imported(2)]);
    } finally {
      console.error = quiet;
    }
    expect(calls).toEqual([1, 3, 3]);
  });

  it('steppedCodes lists the codes moved on in a batch', () => {
    expect([...steppedCodes([stepped(1, 'A'), imported(2), stepped(3, 'B'), stepped(4, 'A')])]).toEqual(['A', 'B']);
  });
});
