/** CAP <info> blocks: the fields an incident takes from one, and one event told in several languages. */
import { describe, expect, it } from 'vitest';
import { alert, batch, circleArea, first, header, info, NOW, NS, OPTIONS } from '../../test/support/cap-alerts.ts';
import { parseCapIncidents } from './cap.ts';

describe('parseCapIncidents: fields', () => {
  it('one pair keeps the identifier as id and is a single record; several get #info.area', () => {
    expect(batch(alert(info(circleArea()))).shape).toBe('single');
    expect(first(alert(info(circleArea())))?.externalId).toBe('A-1');
    const many = batch(alert(info(circleArea() + circleArea()) + info(circleArea())));
    expect(many.shape).toBe('batch');
    expect(many.drafts.map((d) => [d.index, d.draft.externalId])).toEqual([[0, 'A-1#1.1'], [1, 'A-1#1.2'], [2, 'A-1#2.1']]);
  });

  it('gives a distinct, stable content id per pair when the alert has no identifier', () => {
    const xml = alert(info(circleArea('30,120 1') + circleArea('31,121 1')), '<sent>2026-11-22T08:00:00+08:00</sent>');
    const ids = batch(xml).drafts.map((d) => d.draft.externalId);
    expect(ids[0]).toMatch(/^sha256:/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(batch(xml).drafts.map((d) => d.draft.externalId)).toEqual(ids);
  });

  it('takes the source from sender, else ?source=, else "cap"', () => {
    expect(first(alert(info(circleArea())), { ...OPTIONS, defaultSource: 'q' })?.source).toBe('s@example');
    const noSender = alert(info(circleArea()), '<identifier>A-1</identifier>');
    expect(first(noSender, { ...OPTIONS, defaultSource: 'q' })?.source).toBe('q');
    expect(first(noSender)?.source).toBe('cap');
  });

  it.each([
    ['Geo', 'Earthquake', 'earthquake'], ['Geo', '地震', 'earthquake'], ['Geo', 'Landslide', 'other'],
    ['Met', 'Flood Warning', 'flood'], ['Met', 'Heavy Rain', 'flood'], ['Met', '台风', 'flood'], ['Met', 'Heat', 'other'],
    ['Safety', 'x', 'public_security'], ['Security', 'x', 'public_security'], ['Rescue', 'x', 'other'], ['Fire', 'x', 'fire'],
    ['Health', 'x', 'public_health'], ['Env', 'x', 'other'], ['Transport', 'x', 'traffic'], ['Infra', 'x', 'infrastructure'],
    ['CBRNE', 'x', 'hazmat'], ['Other', 'x', 'other'], ['cbrne', 'x', 'hazmat'],
  ])('maps CAP category %s (event %s) to %s', (category, event, expected) => {
    expect(first(alert(info(circleArea(), `<category>${category}</category><event>${event}</event>`)))?.category).toBe(expected);
  });

  it('takes the first category that maps to something specific', () => {
    expect(first(alert(info(circleArea(), '<category>Other</category><category>Fire</category>')))?.category).toBe('fire');
  });

  it.each(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'])('maps severity %s to lower case', (severity) => {
    expect(first(alert(info(circleArea(), `<severity>${severity}</severity>`)))?.severity).toBe(severity.toLowerCase());
  });

  it('refuses an unknown severity, naming the element', () => {
    expect(batch(alert(info(circleArea(), '<severity>High</severity>'))).errors[0]?.details[0]?.path).toBe('alert/info[1]/severity');
  });

  it('occurs at onset, else effective, else sent, else the time of receipt', () => {
    const at = (extra: string, header?: string) => first(alert(info(circleArea(), extra), header))?.occurredAtMs;
    expect(at('<effective>2026-11-22T09:00:00+08:00</effective><onset>2026-11-22T10:00:00+08:00</onset>')).toBe(Date.parse('2026-11-22T02:00:00Z'));
    expect(at('<effective>2026-11-22T09:00:00+08:00</effective>')).toBe(Date.parse('2026-11-22T01:00:00Z'));
    expect(at('')).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(at('', '<sent>2026-11-22T08:00:00-00:00</sent>')).toBe(Date.parse('2026-11-22T08:00:00Z'));
    expect(at('', '<identifier>x</identifier>')).toBe(NOW);
  });

  it('titles by headline, else event; keeps CAP qualifiers in attributes; decodes entities', () => {
    const extra = '<language>zh-CN</language><category>Met</category><event>暴雨 &amp; 内涝</event><urgency>Immediate</urgency><certainty>Likely</certainty><description>&lt;b&gt; &#x6C34;&#27700;</description>';
    const d = first(alert(info(circleArea(), extra)));
    expect(d?.title).toBe('暴雨 & 内涝');
    expect(d?.description).toBe('<b> 水水');
    expect(d?.attributes).toEqual({
      urgency: 'Immediate', certainty: 'Likely', event: '暴雨 & 内涝', msgType: 'Alert', status: 'Actual', language: 'zh-CN', areaDesc: 'd', radiusKm: 2,
    });
    expect(first(alert(info(circleArea(), '<event>e</event><headline>h</headline>')))?.title).toBe('h');
  });

  it('reads the cap: prefix, CAP 1.1, and no namespace at all', () => {
    const body = '<cap:identifier>P</cap:identifier><cap:info><cap:area><cap:circle>30,120 1</cap:circle></cap:area></cap:info>';
    expect(first(`<cap:alert xmlns:cap="${NS}">${body}</cap:alert>`)?.externalId).toBe('P');
    expect(first(alert(info(circleArea())).replace(NS, 'urn:oasis:names:tc:emergency:cap:1.1'))?.externalId).toBe('A-1');
    expect(first(`<alert><identifier>N</identifier>${info(circleArea())}</alert>`)?.externalId).toBe('N');
  });
});

describe('parseCapIncidents: one event in several languages', () => {
  const content = '<category>Fire</category><severity>Severe</severity><urgency>Immediate</urgency><certainty>Observed</certainty><onset>2026-11-22T09:00:00+08:00</onset>';
  const words = (language: string, headline: string, description = `${headline}.`) =>
    `${language ? `<language>${language}</language>` : ''}<event>${headline}</event><headline>${headline}</headline><description>${description}</description>`;
  const area = (desc: string, shape = '<circle>30.25,120.15 2</circle>') => `<area><areaDesc>${desc}</areaDesc>${shape}</area>`;

  it('makes one incident of the same event in English and Spanish, the first info giving the words', () => {
    const xml = alert(info(area('Hangzhou'), `${words('en-US', 'Fire')}${content}`) + info(area('Hangzhou (es)'), `${words('es-US', 'Incendio')}${content}`));
    const b = batch(xml);
    expect(b.shape).toBe('single');
    expect(b.drafts).toHaveLength(1);
    const d = b.drafts[0]?.draft;
    expect(d?.externalId).toBe('A-1');
    expect(d?.aliases).toEqual(['A-1#*', 'A-1#1.1']);
    expect(d?.title).toBe('Fire');
    expect(d?.description).toBe('Fire.');
    expect(d?.attributes.language).toBe('en-US');
    expect(d?.attributes.texts).toEqual([
      { language: 'en-US', title: 'Fire', description: 'Fire.', areaDesc: 'Hangzhou' },
      { language: 'es-US', title: 'Incendio', description: 'Incendio.', areaDesc: 'Hangzhou (es)' },
    ]);
  });

  it('compares numbers as numbers, times as instants, and categories as a set', () => {
    const other = '<severity>severe</severity><category>Fire</category><urgency>Immediate</urgency><certainty>Observed</certainty><onset>2026-11-22T01:00:00+00:00</onset>';
    const xml = alert(info(area('a'), `${words('zh-CN', '火灾')}${content}`) + info(area('a', '<circle>30.250, 120.1500 2.0</circle>'), `${words('en-US', 'Fire')}${other}`));
    expect(batch(xml).drafts).toHaveLength(1);
  });

  it('keeps infos apart when their content differs: severity, times, or areas', () => {
    for (const change of [
      (c: string) => c.replace('Severe', 'Moderate'),
      (c: string) => c.replace('09:00:00+08:00', '10:00:00+08:00'),
      (c: string) => `${c}<expires>2026-11-23T00:00:00+08:00</expires>`,
    ]) {
      const b = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a'), `${words('es-US', 'Incendio')}${change(content)}`)));
      expect(b.drafts.map((d) => [d.draft.externalId, d.draft.title, d.draft.attributes.texts])).toEqual([['A-1#1.1', 'Fire', undefined], ['A-1#2.1', 'Incendio', undefined]]);
    }
    const otherCircle = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a', '<circle>30.25,120.15 3</circle>'), `${words('es-US', 'Incendio')}${content}`)));
    expect(otherCircle.drafts).toHaveLength(2);
    const moreAreas = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a') + area('b'), `${words('es-US', 'Incendio')}${content}`)));
    expect(moreAreas.drafts.map((d) => d.draft.externalId)).toEqual(['A-1#1.1', 'A-1#2.1', 'A-1#2.2']);
  });

  it('never merges two infos of one language; a missing language is en-US', () => {
    const same = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a'), `${words('en-US', 'Fire again')}${content}`)));
    expect(same.drafts).toHaveLength(2);
    const implied = batch(alert(info(area('a'), `${words('', 'Fire')}${content}`) + info(area('a'), `${words('en-US', 'Fire')}${content}`)));
    expect(implied.drafts).toHaveLength(2);
    const withFrench = batch(alert(info(area('a'), `${words('', 'Fire')}${content}`) + info(area('a'), `${words('fr-CA', 'Incendie')}${content}`)));
    expect(withFrench.drafts.map((d) => (d.draft.attributes.texts as { language: string }[]).map((t) => t.language))).toEqual([['en-US', 'fr-CA']]);
  });

  it('groups in document order: en, fr, en makes {en, fr} and {en}; the groups number the ids', () => {
    const xml = alert(
      info(area('a'), `${words('en-CA', 'Storm')}${content}`) +
      info(area('a'), `${words('fr-CA', 'Orage')}${content}`) +
      info(area('a'), `${words('en-CA', 'Storm, again')}${content}`),
    );
    expect(batch(xml).drafts.map((d) => [d.index, d.draft.externalId, d.draft.title, (d.draft.attributes.texts as unknown[] | undefined)?.length])).toEqual([
      [0, 'A-1#1.1', 'Storm', 2],
      [1, 'A-1#2.1', 'Storm, again', undefined],
    ]);
  });

  it('makes one incident per area of a merged group, each with its own area names', () => {
    const en = info(area('North', '<circle>30,120 1</circle>') + area('South', '<circle>29,120 1</circle>'), `${words('en-CA', 'Storm')}${content}`);
    const fr = info(area('Nord', '<circle>30,120 1</circle>') + area('Sud', '<circle>29,120 1</circle>'), `${words('fr-CA', 'Orage')}${content}`);
    const b = batch(alert(en + fr));
    expect(b.drafts.map((d) => [d.draft.externalId, d.draft.attributes.areaDesc, (d.draft.attributes.texts as { areaDesc: string }[]).map((t) => t.areaDesc)])).toEqual([
      ['A-1#1.1', 'North', ['North', 'Nord']],
      ['A-1#1.2', 'South', ['South', 'Sud']],
    ]);
  });

  it('fails a merged group once, naming the first info', () => {
    const bad = content.replace('Severe', 'High');
    const b = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${bad}`) + info(area('a'), `${words('es-US', 'Incendio')}${bad}`)));
    expect(b.errors).toEqual([{ index: 0, details: [{ path: 'alert/info[1]/severity', message: '"High" is not a CAP severity (Extreme, Severe, Moderate, Minor, Unknown)' }] }]);
  });

  it('places a merged group given by geocode at the first info\'s area', () => {
    const geo = '<area><areaDesc>x</areaDesc><geocode><valueName>SAME</valueName><value>006037</value></geocode></area>';
    const d = first(alert(info(geo, `${words('en-US', 'Fire')}${content}`) + info(geo, `${words('es-US', 'Incendio')}${content}`)));
    expect(d?.geometry).toBeNull();
    expect(d?.placePath).toBe('alert/info[1]/area[1]');
  });
});
