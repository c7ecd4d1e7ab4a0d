/**
 * Cheap structural limits on a parsed JSON body, checked before any schema walks it: a million-vertex
 * polygon or arrays nested thousands deep would otherwise cost seconds of validation and geometry
 * work on the one thread that serves everyone. Walks iteratively (no recursion to overflow) and
 * stops at the first excess.
 */
import type { RequestHandler } from 'express';
import { ApiError } from './errors.ts';

/** More than any real district boundary or parcel needs; a city-wide coastline is simplified first. */
export const MAX_POSITIONS_PER_GEOMETRY = 200_000;
/** GeoJSON needs 5 levels (MultiPolygon); FeatureCollections add 4 more. */
export const MAX_JSON_DEPTH = 32;

type Problem = { path: string; message: string };

export function findStructuralProblem(body: unknown, maxPositions = MAX_POSITIONS_PER_GEOMETRY, maxDepth = MAX_JSON_DEPTH): Problem | null {
  const stack: { value: unknown; path: string; depth: number; inCoordinates: string | null }[] = [{ value: body, path: '', depth: 0, inCoordinates: null }];
  const counts = new Map<string, number>();
  while (stack.length > 0) {
    const { value, path, depth, inCoordinates } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return { path, message: `the JSON is nested more than ${maxDepth} levels deep at ${path || 'the top'}; GeoJSON never needs that` };
    if (Array.isArray(value)) {
      if (inCoordinates !== null && value.length >= 2 && typeof value[0] === 'number') {
        const n = (counts.get(inCoordinates) ?? 0) + 1;
        counts.set(inCoordinates, n);
        if (n > maxPositions) return { path: inCoordinates, message: `${inCoordinates} has more than ${maxPositions.toLocaleString('en')} positions (too many vertices): simplify the geometry first` };
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}.${i}`, depth: depth + 1, inCoordinates });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      stack.push({ value: child, path: childPath, depth: depth + 1, inCoordinates: key === 'coordinates' ? childPath : inCoordinates });
    }
  }
  return null;
}

/** Refuses (400) a parsed body with a geometry of too many positions or nesting too deep. */
export const geometryGuard: RequestHandler = (req, _res, next) => {
  const problem = findStructuralProblem(req.body);
  if (problem) return next(new ApiError('invalid_body', problem.message, [problem]));
  next();
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COLON = 0x3a;
const COORDINATES = Buffer.from('coordinates');

const isNumberStart = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x4e || b === 0x49;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * The same limits on the raw bytes, before `JSON.parse`: parsing a 20 MB million-vertex polygon
 * alone blocks the event loop for most of a second, so it is refused unparsed. A byte scan that
 * skips strings, tracks nesting and counts the position arrays under each `coordinates` key.
 * Thrown errors carry `type` so body-parser passes them on and errors.ts answers 400.
 */
export function scanJsonBody(buf: Buffer, maxPositions = MAX_POSITIONS_PER_GEOMETRY, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let coordinatesDepth = -1;
  let positions = 0;
  let lastStringStart = -1;
  let lastStringEnd = -1;
  const fail = (message: string) => {
    throw Object.assign(new Error(message), { type: 'entity.geometry.refused' });
  };
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === QUOTE) {
      const start = i + 1;
      for (i = start; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
      lastStringStart = start;
      lastStringEnd = i;
      continue;
    }
    if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      depth++;
      if (depth > maxDepth) fail(`the JSON is nested more than ${maxDepth} levels deep; GeoJSON never needs that`);
      if (b === OPEN_ARRAY && coordinatesDepth >= 0) {
        let j = i + 1;
        while (j < buf.length && isSpace(buf[j]!)) j++;
        if (j < buf.length && isNumberStart(buf[j]!) && ++positions > maxPositions) {
          fail(`a geometry has more than ${maxPositions.toLocaleString('en')} positions (too many vertices): simplify it first`);
        }
      }
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
      if (depth <= coordinatesDepth) coordinatesDepth = -1;
    } else if (b === COLON && lastStringEnd >= 0 && lastStringEnd - lastStringStart === COORDINATES.length && buf.subarray(lastStringStart, lastStringEnd).equals(COORDINATES)) {
      coordinatesDepth = depth;
      positions = 0;
    }
  }
}

/** For `express.json({ verify })`. */
export const verifyJsonBody = (_req: unknown, _res: unknown, buf: Buffer): void => scanJsonBody(buf);
