import { describe, expect, it } from 'vitest';
import { parseUnitsCsv, parseUnitsJson } from './units.ts';

const engine = { id: 'E-1', callSign: '西湖消防1', kind: 'fire_engine', agency: '西湖区消防救援大队', stationId: 'fs-1', serves: ['fire', 'hazmat'] };

describe('parseUnitsJson', () => {
  it('reads an array of units, keeping where each came from', () => {
    const parsed = parseUnitsJson([engine, { id: 'A-1', callSign: '120-1', kind: 'ambulance', serves: ['public_health'], status: 'out_of_service' }]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.units.map((u) => [u.where, u.unit.id, u.unit.status])).toEqual([['0', 'E-1', undefined], ['1', 'A-1', 'out_of_service']]);
  });

  it('reads a FeatureCollection: the id from the Feature or its properties, other properties ignored', () => {
    const parsed = parseUnitsJson({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'E-1', geometry: null, properties: { ...engine, id: undefined, seq: 12, position: null } },
        { type: 'Feature', id: 7, geometry: { type: 'Point', coordinates: [120, 30] }, properties: { callSign: 'P7', kind: 'police_car', serves: ['public_security'] } },
      ],
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.units.map((u) => [u.where, u.unit.id])).toEqual([['features.0.properties', 'E-1'], ['features.1.properties', '7']]);
  });

  it('names the record and field of every problem, and an unknown field in an array item', () => {
    const parsed = parseUnitsJson([engine, { ...engine, id: 'E-2', serves: ['fire', 'arson'] }, { ...engine, id: 'E-3', callsign: 'x' }, { ...engine, id: '', kind: 'Fire Engine' }]);
    expect(parsed.units.map((u) => u.unit.id)).toEqual(['E-1']);
    const paths = parsed.errors.map((e) => e.path);
    expect(paths).toContain('1.serves.1');
    expect(paths).toContain('2.callsign');
    expect(paths).toContain('3.id');
    expect(paths).toContain('3.kind');
    expect(parsed.errors.find((e) => e.path === '2.callsign')?.message).toMatch(/unknown field/);
  });

  it('refuses a unit given twice, naming both places', () => {
    const parsed = parseUnitsJson([engine, { ...engine, callSign: 'again' }]);
    expect(parsed.errors).toEqual([{ path: '1.id', message: 'unit "E-1" is already given at 0; each unit once per import' }]);
  });

  it('refuses a body that is neither an array nor a FeatureCollection', () => {
    expect(parseUnitsJson({ units: [engine] }).errors[0]?.message).toMatch(/JSON array/);
  });
});

describe('parseUnitsCsv', () => {
  it('reads a header row and one unit per row; Chinese headers, category and status words work', () => {
    const csv = '\uFEFF编号,呼号,类型,所属单位,驻地,职能,状态\nE-1,西湖消防1,fire_engine,西湖区消防救援大队,fs-1,火灾;hazmat,待命\nU-9,"抢修,9",utility_crew,,,infrastructure flood,停用\n';
    const parsed = parseUnitsCsv(csv);
    expect(parsed.errors).toEqual([]);
    expect(parsed.units).toEqual([
      { where: 'line 2', unit: { id: 'E-1', callSign: '西湖消防1', kind: 'fire_engine', agency: '西湖区消防救援大队', stationId: 'fs-1', serves: ['fire', 'hazmat'], status: 'available' } },
      { where: 'line 3', unit: { id: 'U-9', callSign: '抢修,9', kind: 'utility_crew', serves: ['infrastructure', 'flood'], status: 'out_of_service' } },
    ]);
  });

  it('names the line and field of each bad row', () => {
    const csv = 'id,callSign,kind,serves\nE-1,,fire_engine,fire\nE-2,E2,fire_engine,arson\nE-3,E3,fire_engine\n';
    const parsed = parseUnitsCsv(csv);
    expect(parsed.units).toEqual([]);
    expect(parsed.errors.map((e) => e.path)).toEqual(['line 2.callSign', 'line 3.serves.0', 'line 4']);
    expect(parsed.errors[2]?.message).toMatch(/3 values but the header has 4 columns/);
  });

  it('refuses an unknown column by name rather than dropping it', () => {
    const parsed = parseUnitsCsv('id,callSign,kind,serves,statsu\nE-1,E1,fire_engine,fire,available\n');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.path).toBe('statsu');
  });

  it('refuses an empty file and a repeated id', () => {
    expect(parseUnitsCsv('').errors[0]?.message).toMatch(/empty/);
    expect(parseUnitsCsv('id,callSign,kind,serves\nE-1,a,fire_engine,fire\nE-1,b,fire_engine,fire\n').errors).toEqual([
      { path: 'line 3.id', message: 'unit "E-1" is already given at line 2; each unit once per import' },
    ]);
  });
});
