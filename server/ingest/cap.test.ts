/** The CAP adapter as a whole: payloads refused whole, status, message types, references and versions. */
import { describe, expect, it } from 'vitest';
import { alert, batch, circleArea, fatal, first, header, info, notices, OPTIONS } from '../../test/support/cap-alerts.ts';
import { compareVersions } from '../domain/incidents/draft.ts';
import { parseCapIncidents } from './cap.ts';

describe('parseCapIncidents: whole-payload errors', () => {
  it.each([
    ['empty', '', /empty/],
    ['not XML', 'lat,lon\n30,120', /malformed at line 1/],
    ['unclosed element', alert(info(circleArea())).replace('</info>', ''), /malformed/],
    ['another root', '<feed><entry/></feed>', /root element must be a CAP <alert>; found <feed>/],
    ['two roots', `${alert(info(circleArea())).replace(/^<\?xml[^>]*>\n/, '')}<alert/>`, /root element/],
    ['no info', alert(''), /no <info>/],
    ['another namespace', '<alert xmlns="urn:example:not-cap"><info/></alert>', /namespace "urn:example:not-cap"/],
  ])('refuses %s', (_, xml, message) => {
    expect(fatal(xml)[0]?.message).toMatch(message);
  });

  it('refuses DOCTYPE and entity declarations: no billion laughs, no XXE', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><alert><identifier>&b;</identifier></alert>';
    const xxe = '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert><identifier>&x;</identifier></alert>';
    for (const xml of [laughs, xxe]) expect(fatal(xml)[0]?.message).toMatch(/DOCTYPE/);
  });

  it('answers (never throws) for nesting deeper than CAP ever goes', () => {
    const deep = `<alert>${'<x>'.repeat(5000)}${'</x>'.repeat(5000)}</alert>`;
    expect(fatal(deep)[0]?.message).toMatch(/cannot be read: Maximum nested tags exceeded/);
  });

  it('says plainly that a cut-off document was cut off', () => {
    const cut = alert(info(circleArea()));
    expect(fatal(cut.slice(0, cut.indexOf('>Severe') + 3))[0]?.message).toBe('the XML is malformed: it ends before closing <alert>, <info>, <severity> (cut off?)');
  });

  it('leaves undeclared entities as text rather than resolving them', () => {
    expect(first(alert(info(circleArea(), '<event>&foo;</event>')))?.title).toBe('&foo;');
  });

  it('fails an <info> without <area> as one record, and keeps the others', () => {
    const b = batch(alert(info('') + info(circleArea())));
    expect(b.errors).toEqual([{ index: 0, details: [{ path: 'alert/info[1]', message: 'this <info> has no <area>, so it cannot be placed on the map' }] }]);
    expect(b.drafts.map((d) => [d.index, d.draft.externalId])).toEqual([[1, 'A-1#2.1']]);
  });
});

describe('parseCapIncidents: status', () => {
  it.each(['Exercise', 'Test', 'System', 'Draft'])('marks a %s alert as a drill, keeping the status in attributes', (status) => {
    const d = first(alert(info(circleArea()), header({ status })));
    expect(d?.drill).toBe(true);
    expect(d?.attributes.status).toBe(status);
  });

  it('leaves an Actual alert, and one without status, live', () => {
    expect(first(alert(info(circleArea()), header({ status: 'Actual' })))?.drill).toBeUndefined();
    expect(first(alert(info(circleArea()), '<identifier>A-1</identifier><sent>2026-11-22T08:00:00+08:00</sent>'))?.drill).toBeUndefined();
  });
});

describe('parseCapIncidents: message types', () => {
  it('answers an Ack with one ack notice carrying its note, and no draft even when it has an <info>', () => {
    const xml = alert(info(circleArea()), header({ identifier: 'ACK-9', msgType: 'Ack', note: 'received', references: 's@example,A-1,2026-11-22T08:00:00+08:00' }));
    expect(batch(xml)).toEqual({
      shape: 'single',
      drafts: [],
      errors: [],
      notices: [{ index: 0, kind: 'ack', source: 's@example', externalId: 'ACK-9', refers: ['A-1', 'A-1#*'], version: [Date.parse('2026-11-22T00:00:00Z')], note: 'received' }],
    });
  });

  it('answers an Error with one error notice; without <note> its note is empty', () => {
    const xml = alert('', header({ identifier: 'ERR-1', msgType: 'Error', references: 's@example,A-1,2026-11-22T08:00:00+08:00' }));
    expect(notices(xml)).toEqual([{ index: 0, kind: 'error', source: 's@example', externalId: 'ERR-1', refers: ['A-1', 'A-1#*'], version: [Date.parse('2026-11-22T00:00:00Z')], note: '' }]);
  });

  it('answers a Cancel without <info> with one cancel notice naming every incident of each referenced alert', () => {
    const references = 's@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-2,2026-11-22T08:30:00+08:00';
    const xml = alert('', header({ identifier: 'C-1', msgType: 'Cancel', sent: '2026-11-22T09:00:00+08:00', references, note: 'all clear' }));
    expect(batch(xml)).toEqual({
      shape: 'single',
      drafts: [],
      errors: [],
      notices: [{ index: 0, kind: 'cancel', source: 's@example', externalId: 'C-1', refers: ['A-1', 'A-1#*', 'A-2', 'A-2#*'], version: [Date.parse('2026-11-22T01:00:00Z'), 2], note: 'all clear' }],
    });
  });

  it('cancels with drafts when a Cancel carries an <info>', () => {
    const xml = alert(info(circleArea()), header({ identifier: 'C-2', msgType: 'Cancel', references: 's@example,A-1,2026-11-22T07:00:00+08:00' }));
    const d = first(xml);
    expect(d?.sourceStatus).toBe('cancelled');
    expect(d?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(d?.externalId).toBe('C-2');
  });

  it('still refuses an Alert or an Update without <info>, as the description of nothing', () => {
    for (const msgType of ['Alert', 'Update']) {
      expect(fatal(alert('', header({ msgType })))[0]?.message).toMatch(/no <info>/);
    }
  });

  it('reads msgType in any case, and treats an unknown one as Alert', () => {
    expect(notices(alert('', header({ msgType: 'cancel', references: 's@example,A-1,x' })))?.[0]?.kind).toBe('cancel');
    expect(first(alert(info(circleArea()), header({ msgType: 'Bulletin' })))?.version).toEqual([Date.parse('2026-11-22T00:00:00Z'), 0]);
  });

  it('puts no drafts in the notice of an Ack that has no identifier, and names it by a content hash', () => {
    const n = notices(alert('', header({ msgType: 'Ack' }).replace('<identifier>A-1</identifier>', '')));
    expect(n?.[0]?.externalId).toMatch(/^sha256:/);
  });
});

describe('parseCapIncidents: references, aliases and versions', () => {
  const update = (infos: string, references: string, more: Parameters<typeof header>[0] = {}) =>
    alert(infos, header({ identifier: 'U-1', msgType: 'Update', sent: '2026-11-22T08:10:00+08:00', references, ...more }));

  it('gives a one-incident alert the aliases I#* and I#1.1, and each incident of a larger one I#*', () => {
    expect(first(alert(info(circleArea())))?.aliases).toEqual(['A-1#*', 'A-1#1.1']);
    expect(batch(alert(info(circleArea() + circleArea()))).drafts.map((d) => d.draft.aliases)).toEqual([['A-1#*'], ['A-1#*']]);
  });

  it('gives no aliases, and no references, to an alert without identifier', () => {
    const d = first(alert(info(circleArea()), '<sender>s@example</sender><sent>2026-11-22T08:00:00+08:00</sent>'));
    expect(d?.aliases).toBeUndefined();
    expect(d?.refers).toBeUndefined();
  });

  it('makes an Update of one area refer to the referenced alert and to its first incident', () => {
    expect(first(update(info(circleArea()), 's@example,A-1,2026-11-22T08:00:00+08:00'))?.refers).toEqual(['A-1#1.1', 'A-1']);
  });

  it('makes each incident of an Update refer to the same info group and area of each referenced alert', () => {
    const xml = update(info(circleArea('30,120 1') + circleArea('31,121 1')) + info(circleArea('32,122 1'), '<severity>Minor</severity>'),
      's@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-0,2026-11-22T07:00:00+08:00');
    expect(batch(xml).drafts.map((d) => [d.draft.externalId, d.draft.refers])).toEqual([
      ['U-1#1.1', ['A-1#1.1', 'A-1', 'A-0#1.1', 'A-0']],
      ['U-1#1.2', ['A-1#1.2', 'A-0#1.2']],
      ['U-1#2.1', ['A-1#2.1', 'A-0#2.1']],
    ]);
  });

  it("ignores references to another sender's alerts, and malformed ones, but keeps them all in attributes", () => {
    const references = 'other@example,B-1,2026-11-22T07:00:00+08:00 s@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-7 s@example,A-1,2026-11-22T08:00:00+08:00';
    const d = first(update(info(circleArea()), references));
    expect(d?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(d?.attributes.references).toEqual([
      'other@example,B-1,2026-11-22T07:00:00+08:00', 's@example,A-1,2026-11-22T08:00:00+08:00', 's@example,A-7', 's@example,A-1,2026-11-22T08:00:00+08:00',
    ]);
    const cancel = alert('', header({ msgType: 'Cancel', references: 'other@example,B-1,2026-11-22T07:00:00+08:00' }));
    expect(notices(cancel)?.[0]?.refers).toEqual([]);
  });

  it('matches references against ?source= when the alert names no sender', () => {
    const xml = alert(info(circleArea()), '<identifier>U-2</identifier><sent>2026-11-22T08:10:00+08:00</sent><msgType>Update</msgType><references>q,A-1,2026-11-22T08:00:00+08:00 cap,A-2,2026-11-22T08:00:00+08:00</references>');
    expect(first(xml, { ...OPTIONS, defaultSource: 'q' })?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(first(xml)?.refers).toEqual(['A-2#1.1', 'A-2']);
  });

  it('versions a record by sent and message type, so Cancel > Update > Alert within one second', () => {
    const sent = '2026-11-22T08:00:00+08:00';
    const ms = Date.parse('2026-11-22T00:00:00Z');
    const of = (msgType: string) => first(alert(info(circleArea()), header({ msgType, sent, references: 's@example,A-0,2026-11-22T07:00:00+08:00' })))?.version ?? [];
    expect([of('Alert'), of('Update'), of('Cancel')]).toEqual([[ms, 0], [ms, 1], [ms, 2]]);
    expect(compareVersions(of('Cancel'), of('Update'))).toBeGreaterThan(0);
    expect(compareVersions(of('Update'), of('Alert'))).toBeGreaterThan(0);
    const later = first(alert(info(circleArea()), header({ sent: '2026-11-22T08:00:01+08:00' })))?.version ?? [];
    expect(compareVersions(later, of('Cancel'))).toBeGreaterThan(0);
  });

  it('leaves a record without a readable sent unversioned', () => {
    expect(first(alert(info(circleArea()), '<identifier>A-1</identifier>'))?.version).toEqual([]);
    const d = first(alert(info(circleArea(), '<effective>2026-11-22T09:00:00+08:00</effective>'), header({ sent: 'yesterday' })));
    expect(d?.version).toEqual([]);
    expect(notices(alert('', header({ msgType: 'Cancel', sent: 'yesterday' })))?.[0]?.version).toEqual([]);
  });
});
