/**
 * The CAP raw scan against alerts whose shape is known by construction (infos, areas, shapes,
 * polygon points, parameters, text lengths), and by hand for prefixes, comments, CDATA and
 * attributes holding '>'.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.ts';
import { scanCap } from './scan-cap.ts';

const limits = (over: Partial<IntakeLimits>): IntakeLimits => ({ ...DEFAULT_INTAKE_LIMITS, ...over });
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

describe('scanCap by hand', () => {
  it('counts <info> with or without a namespace prefix, not closing tags', () => {
    const xml = `<cap:alert xmlns:cap="${NS}"><cap:info><cap:event>a</cap:event></cap:info><cap:info/><info></info></cap:alert>`;
    expect(scanCap(xml, limits({ capMaxInfos: 3 }))).toBeNull();
    expect(scanCap(xml, limits({ capMaxInfos: 2 }))).toMatchObject({ kind: 'too_large', path: 'alert/info[3]' });
  });

  it('counts polygon points as the adapter splits them: "30.1, 120.2" is one point', () => {
    const xml = `<alert><info><area><polygon>30,120 30.1, 120.1\n30.1 ,120.2   30,120</polygon></area></info></alert>`;
    expect(scanCap(xml, limits({ maxPositions: 4 }))).toBeNull();
    const problem = scanCap(xml, limits({ maxPositions: 3 }));
    expect(problem).toMatchObject({ kind: 'malformed', path: 'alert/info[1]/area[1]/polygon' });
    expect(problem?.message).toContain('INTAKE_MAX_POSITIONS = 3');
  });

  it('measures a tag with its attributes, and finds its end past a quoted ">"', () => {
    const xml = `<alert a="x>y" b='${'z'.repeat(100)}'><info/></alert>`;
    expect(scanCap(xml, limits({ maxRecordBytes: 130 }))).toBeNull();
    expect(scanCap(xml, limits({ maxRecordBytes: 100 }))?.message).toContain('the tag <alert> with its attributes is longer than');
  });

  it('measures texts, CDATA and comments, but not polygon points', () => {
    const long = 'y'.repeat(2000);
    expect(scanCap(`<alert><info><description>${long}</description></info></alert>`, limits({ maxRecordBytes: 1024 }))?.path).toBe('alert/info[1]/description');
    expect(scanCap(`<alert><info><description><![CDATA[${long}]]></description></info></alert>`, limits({ maxRecordBytes: 1024 }))).not.toBeNull();
    expect(scanCap(`<alert><!--${long}--><info/></alert>`, limits({ maxRecordBytes: 1024 }))).not.toBeNull();
    const points = Array.from({ length: 500 }, (_, i) => `30.${i},120.${i}`).join(' ');
    expect(scanCap(`<alert><info><area><polygon>${points}</polygon></area></info></alert>`, limits({ maxRecordBytes: 1024 }))).toBeNull();
  });

  it('refuses a 30 MB attribute on its length, before its end', () => {
    const xml = `<alert xmlns="${NS}" junk="${'A'.repeat(30 * 1024 * 1024)}"><info/></alert>`;
    const started = performance.now();
    expect(scanCap(xml, DEFAULT_INTAKE_LIMITS)?.message).toContain('INTAKE_MAX_RECORD_KB = 64');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

interface Shape {
  infos: { parameters: number; areas: { polygons: number[]; circles: number }[] }[];
  description: number;
}
const shape: fc.Arbitrary<Shape> = fc.record({
  infos: fc.array(
    fc.record({
      parameters: fc.nat(6),
      areas: fc.array(fc.record({ polygons: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 3 }), circles: fc.nat(2) }), { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  description: fc.integer({ min: 1, max: 300 }),
});

/** Writes the alert, with a prefix on every element when `prefix` is set, spaces varying. */
function write(s: Shape, prefix: string): string {
  const t = (name: string, body: string) => `<${prefix}${name}>${body}</${prefix}${name}>`;
  const ring = (n: number) => Array.from({ length: n }, (_, k) => `30.${k}${k % 3 === 0 ? ', ' : ','}120.${k}`).join(k2(n));
  const k2 = (n: number) => (n % 2 === 0 ? ' ' : '\n  ');
  const infos = s.infos.map((info) =>
    t('info', [
      t('event', 'Flood'),
      t('description', '洪'.repeat(s.description)),
      ...Array.from({ length: info.parameters }, () => t('parameter', t('valueName', 'k') + t('value', 'v'))),
      ...info.areas.map((a) => t('area', [t('areaDesc', 'x'), ...a.polygons.map((n) => t('polygon', ring(n))), ...Array.from({ length: a.circles }, () => t('circle', '30,120 5'))].join(''))),
    ].join('')),
  );
  return `<?xml version="1.0"?><${prefix}alert${prefix ? ` xmlns:${prefix.slice(0, -1)}="${NS}"` : ` xmlns="${NS}"`}>${t('identifier', 'id')}${infos.join('')}</${prefix}alert>`;
}

describe('scanCap against alerts of known shape', () => {
  it('finds no excess at the counts written, and each limit one below them', () => {
    fc.assert(
      fc.property(shape, fc.constantFrom('', 'cap:'), (s, prefix) => {
        const xml = write(s, prefix);
        const areas = s.infos.flatMap((i) => i.areas);
        const shapes = areas.reduce((sum, a) => sum + a.polygons.length + a.circles, 0);
        // An area's shapes are one geometry: its polygons' points plus 65 per circle (a 64-gon, closed).
        const points = Math.max(0, ...areas.map((a) => a.polygons.reduce((x, y) => x + y, 0) + 65 * a.circles));
        const parameters = Math.max(...s.infos.map((i) => i.parameters));
        const elements = (xml.match(/<[^/?!]/g) ?? []).length;
        const exact = limits({
          capMaxInfos: s.infos.length,
          capMaxAreas: Math.max(1, areas.length),
          capMaxShapes: Math.max(1, shapes),
          maxPositions: Math.max(1, points),
          maxFields: Math.max(1, parameters),
          capMaxElements: elements,
          maxRecordBytes: Math.max(3 * s.description, 64), // the longest tag, <cap:alert xmlns:cap="…">, is 60 bytes
        });
        expect(scanCap(xml, exact)).toBeNull();
        const below = (over: Partial<IntakeLimits>, setting: string) => expect(scanCap(xml, { ...exact, ...over })?.message).toContain(setting);
        if (s.infos.length > 1) below({ capMaxInfos: s.infos.length - 1 }, 'INTAKE_CAP_MAX_INFOS');
        if (areas.length > 1) below({ capMaxAreas: areas.length - 1 }, 'INTAKE_CAP_MAX_AREAS');
        if (shapes > 1) below({ capMaxShapes: shapes - 1 }, 'INTAKE_CAP_MAX_SHAPES');
        if (points > 1) below({ maxPositions: points - 1 }, 'INTAKE_MAX_POSITIONS');
        if (parameters > 1) below({ maxFields: parameters - 1 }, 'INTAKE_MAX_FIELDS');
        below({ capMaxElements: elements - 1 }, 'INTAKE_CAP_MAX_ELEMENTS');
        // The longest text is a description: 洪 is 3 bytes in UTF-8.
        if (3 * s.description - 1 >= 64) below({ maxRecordBytes: 3 * s.description - 1 }, 'INTAKE_MAX_RECORD_KB');
      }),
      { numRuns: 300, seed: 2026 },
    );
  });
});

describe('scanCap: the shapes of one area become one geometry', () => {
  const limits = { ...DEFAULT_INTAKE_LIMITS, maxPositions: 10 };
  const area = (shapes: string) => `<alert><info><area><areaDesc>a</areaDesc>${shapes}</area></info></alert>`;
  const square = '<polygon>1,1 1,2 2,2 2,1 1,1</polygon>'; // 5 points

  it('counts the points of every polygon in the area together: 5 + 5 pass a limit of 10, 5 + 5 + 5 do not', () => {
    expect(scanCap(area(square + square), limits)).toBeNull();
    expect(scanCap(area(square + square + square), limits)?.message).toMatch(/alert\/info\[1\]\/area\[1\]\/polygon and the shapes before it in its area have more than 10 points/);
  });

  it('counts a circle as 65 points, and starts again at each area', () => {
    const wide = { ...DEFAULT_INTAKE_LIMITS, maxPositions: 70 };
    expect(scanCap(area(`${square}<circle>1,1 5</circle>`), wide)).toBeNull(); // 5 + 65 = 70
    expect(scanCap(area(`${square}${square}<circle>1,1 5</circle>`), wide)?.path).toBe('alert/info[1]/area[1]/circle'); // 75
    expect(scanCap(`<alert><info><area>${square}${square}</area><area>${square}${square}</area></info></alert>`, limits)).toBeNull();
  });
});
