/**
 * Raw scan of a JSON intake body before `JSON.parse`: nesting depth, positions per geometry (as
 * `scanJsonBody` in http/geometry-guard.ts), and what intake adds — records per request, keys per
 * record and per `properties`/`attributes` object, bytes per record without its geometry, and the
 * longest string. One pass over the bytes that skips strings and keeps a few numbers per level of
 * nesting; it stops at the first excess.
 *
 * Records are the elements of a top-level array, or of the `features` (GeoJSON) or
 * `service_requests` (Open311) array of a top-level object; a top-level object without either is
 * one record.
 */
import { kb, overLimit, type IntakeLimits, type LimitProblem } from './limits.ts';

/** GeoJSON needs 5 levels (MultiPolygon); FeatureCollections add 4 more (as geometry-guard.ts). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;

const enum Role { Other, Records, Record, Fields, Geometry, Top }
const enum Key { Other, Collection, Fields, Geometry, Coordinates }

const KEYS: readonly [Buffer, Key][] = [
  [Buffer.from('features'), Key.Collection],
  [Buffer.from('service_requests'), Key.Collection],
  [Buffer.from('properties'), Key.Fields],
  [Buffer.from('attributes'), Key.Fields],
  [Buffer.from('geometry'), Key.Geometry],
  [Buffer.from('coordinates'), Key.Coordinates],
];

function keyOf(buf: Uint8Array, start: number, end: number): Key {
  for (const [name, key] of KEYS) {
    if (end - start === name.length && Buffer.compare(name, buf.subarray(start, end)) === 0) return key;
  }
  return Key.Other;
}

const isNumberStart = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x4e || b === 0x49;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The first limit the JSON bytes break, or `null`. Malformed JSON is left to `JSON.parse`. */
export function scanJson(buf: Uint8Array, limits: IntakeLimits, maxDepth = MAX_JSON_DEPTH): LimitProblem | null {
  // Per open container, indexed by depth (1 = the top value); bounded by maxDepth.
  const size = maxDepth + 2;
  const role = new Uint8Array(size);
  const isArray = new Uint8Array(size);
  const start = new Float64Array(size);
  const keys = new Float64Array(size);
  const geometryBytes = new Float64Array(size);
  let depth = 0;
  let pendingKey = Key.Other;
  let lastStringStart = -1;
  let lastStringEnd = -1;
  let coordinatesDepth = -1;
  let positions = 0;
  let recordsDepth = -1;
  let expectRecord = false;
  let records = 0;
  let collection = false;
  const recordPath = () => (recordsDepth >= 0 || collection ? `record ${records - 1}` : 'the incident');

  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (depth === recordsDepth && expectRecord && !isSpace(b) && b !== CLOSE_ARRAY && b !== COMMA) {
      expectRecord = false;
      if (++records > limits.maxRecords) {
        return overLimit('maxRecords', limits, `${records - 1}`, `the body holds more than ${limits.maxRecords.toLocaleString('en')} records`, 'split it into several requests');
      }
    }
    if (b === QUOTE) {
      const from = i + 1;
      for (i = from; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
      lastStringStart = from;
      lastStringEnd = i;
      if (i - from > limits.maxRecordBytes) {
        return overLimit('maxRecordBytes', limits, recordPath(), `a text value in ${recordPath()} is longer than ${kb(limits.maxRecordBytes)}`, 'shorten it');
      }
      continue;
    }
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      depth++;
      if (depth > maxDepth) return { kind: 'malformed', path: '', message: `the JSON is nested more than ${maxDepth} levels deep; GeoJSON never needs that` };
      const array = b === OPEN_ARRAY;
      const parent = role[depth - 1]!;
      let r = Role.Other;
      if (depth === 1) r = array ? Role.Records : Role.Top;
      else if (isArray[depth - 1]) r = parent === Role.Records ? Role.Record : Role.Other;
      else if (parent === Role.Top && pendingKey === Key.Collection && array) r = Role.Records;
      else if ((parent === Role.Record || parent === Role.Top) && pendingKey === Key.Fields && !array) r = Role.Fields;
      else if ((parent === Role.Record || parent === Role.Top) && pendingKey === Key.Geometry) r = Role.Geometry;
      if (r === Role.Records) {
        recordsDepth = depth;
        expectRecord = true;
        collection = true;
      }
      role[depth] = r;
      isArray[depth] = array ? 1 : 0;
      start[depth] = i;
      keys[depth] = 0;
      geometryBytes[depth] = 0;
      pendingKey = Key.Other;
      if (array && coordinatesDepth >= 0) {
        let j = i + 1;
        while (j < buf.length && isSpace(buf[j]!)) j++;
        if (j < buf.length && isNumberStart(buf[j]!) && ++positions > limits.maxPositions) {
          return overLimit('maxPositions', limits, recordPath(), `a geometry in ${recordPath()} has more than ${limits.maxPositions.toLocaleString('en')} positions (too many vertices)`, 'simplify it first');
        }
      }
      continue;
    }
    if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      if (depth <= 0) continue; // malformed; JSON.parse says where
      const r = role[depth]!;
      const span = i + 1 - start[depth]!;
      if (r === Role.Geometry) geometryBytes[depth - 1]! += span;
      else if (r === Role.Records) recordsDepth = -1;
      else if ((r === Role.Record || (r === Role.Top && !collection)) && span - geometryBytes[depth]! > limits.maxRecordBytes) {
        return overLimit('maxRecordBytes', limits, recordPath(), `${recordPath()} is ${kb(span - geometryBytes[depth]!)} without its geometry, more than ${kb(limits.maxRecordBytes)}`, 'shorten its properties');
      }
      depth--;
      if (depth <= coordinatesDepth) coordinatesDepth = -1;
      continue;
    }
    if (b === COMMA && depth === recordsDepth) {
      expectRecord = true;
      continue;
    }
    if (b === COLON && lastStringEnd >= 0 && depth > 0) {
      const key = keyOf(buf, lastStringStart, lastStringEnd);
      pendingKey = key;
      if (key === Key.Coordinates) {
        coordinatesDepth = depth;
        positions = 0;
      }
      const r = role[depth]!;
      if ((r === Role.Record || r === Role.Fields || r === Role.Top) && ++keys[depth]! > limits.maxFields) {
        const what = r === Role.Fields ? `the properties of ${recordPath()}` : r === Role.Top && collection ? 'the top-level object' : recordPath();
        return overLimit('maxFields', limits, recordPath(), `${what} has more than ${limits.maxFields} keys`, 'send only the fields an incident needs');
      }
    }
  }
  return null;
}
