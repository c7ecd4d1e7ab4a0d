/**
 * The units register as a client sends it to `PUT /api/v1/units`: a JSON array of units, a GeoJSON
 * FeatureCollection (the id on the Feature or in its properties; other properties are ignored, so
 * a `GET` answer can be sent back), or CSV with a header row. Pure: body → units, each with where
 * it came from, and every problem, each naming its record and field. An import is all or nothing,
 * so any problem refuses the whole body.
 *
 * CSV columns (header names trimmed, any case): `id` (编号), `callSign` / `call_sign` (呼号),
 * `kind` (类型), `agency` (单位, 所属单位), `stationId` / `station_id` (驻地), `serves` (职能:
 * categories separated by `;`, `|`, `、` or spaces; the incident CSV's Chinese words work too),
 * `status` (状态: ours, or 待命, 已派, 途中, 到场, 返回, 停用). Any other column is refused by name,
 * so a misspelt optional column is never silently dropped.
 */
import type { ErrorDetail } from '../contract/common.ts';
import { Category } from '../contract/incidents.ts';
import { UNIT_STATUS_NAMES, UNIT_STATUSES, UnitInput, type UnitStatus } from '../contract/units.ts';
import { CATEGORY_WORDS, readCsvRows } from './csv.ts';
import { describeIssues } from './zod-errors.ts';

/** A unit and where it was in the body (`3`, `features.3.properties`, `line 4`), for messages naming it. */
export interface PlacedUnit {
  unit: UnitInput;
  where: string;
}

export interface ParsedUnits {
  units: PlacedUnit[];
  /** Every problem; when any, nothing may be stored. */
  errors: ErrorDetail[];
}

/** More than this is not a register but a mistake (or an attack); split a real one. */
export const MAX_UNITS_PER_IMPORT = 20_000;

const FEATURE_FIELDS = ['id', 'callSign', 'kind', 'agency', 'stationId', 'serves', 'status'] as const;

const at = (where: string, path: string): string => [where, path].filter((p) => p !== '').join('.');

function checked(value: unknown, where: string, out: ParsedUnits): void {
  const parsed = UnitInput.safeParse(value);
  if (parsed.success) out.units.push({ unit: parsed.data, where });
  else for (const d of describeIssues(parsed.error)) out.errors.push({ path: at(where, d.path), message: d.message });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON body: an array of units, or a FeatureCollection of them. */
export function parseUnitsJson(body: unknown): ParsedUnits {
  const out: ParsedUnits = { units: [], errors: [] };
  if (Array.isArray(body)) {
    if (body.length > MAX_UNITS_PER_IMPORT) return { units: [], errors: [{ path: '', message: `at most ${MAX_UNITS_PER_IMPORT} units per import; this one has ${body.length}` }] };
    body.forEach((item, i) => checked(item, String(i), out));
  } else if (isObject(body) && body.type === 'FeatureCollection' && Array.isArray(body.features)) {
    const features: unknown[] = body.features;
    if (features.length > MAX_UNITS_PER_IMPORT) return { units: [], errors: [{ path: 'features', message: `at most ${MAX_UNITS_PER_IMPORT} units per import; this one has ${features.length}` }] };
    features.forEach((feature, i) => {
      const where = `features.${i}`;
      if (!isObject(feature) || !isObject(feature.properties)) {
        out.errors.push({ path: at(where, 'properties'), message: 'a unit Feature needs a properties object' });
        return;
      }
      const properties = feature.properties;
      const picked: Record<string, unknown> = {};
      for (const key of FEATURE_FIELDS) if (Object.hasOwn(properties, key)) picked[key] = properties[key];
      if (picked.id === undefined && (typeof feature.id === 'string' || typeof feature.id === 'number')) picked.id = String(feature.id);
      if (typeof picked.id === 'number') picked.id = String(picked.id);
      checked(picked, `${where}.properties`, out);
    });
  } else {
    out.errors.push({ path: '', message: 'send the units as a JSON array of {id, callSign, kind, agency, stationId, serves, status}, a GeoJSON FeatureCollection, or CSV with a header row' });
  }
  out.errors.push(...duplicates(out.units));
  return out;
}

type Column = (typeof FEATURE_FIELDS)[number];
const COLUMN_OF: Readonly<Record<string, Column>> = {
  id: 'id', unit_id: 'id', unitid: 'id', 编号: 'id',
  callsign: 'callSign', call_sign: 'callSign', 呼号: 'callSign',
  kind: 'kind', 类型: 'kind',
  agency: 'agency', 单位: 'agency', 所属单位: 'agency',
  stationid: 'stationId', station_id: 'stationId', station: 'stationId', 驻地: 'stationId',
  serves: 'serves', categories: 'serves', 职能: 'serves',
  status: 'status', 状态: 'status',
};

const STATUS_WORDS = new Map<string, UnitStatus>(UNIT_STATUSES.map((s) => [UNIT_STATUS_NAMES[s]['zh-CN'], s]));

/** A CSV cell as the JSON field would hold it (blank → absent, so a required field is named as missing). */
function cellValue(column: Column, raw: string): unknown {
  const value = raw.trim();
  if (value === '') return undefined;
  if (column === 'serves') {
    return value
      .split(/[;|、\s]+/)
      .filter((w) => w !== '')
      .map((w) => (Category.options as readonly string[]).find((c) => c === w.toLowerCase()) ?? CATEGORY_WORDS.get(w.toLowerCase()) ?? w);
  }
  if (column === 'status') return STATUS_WORDS.get(value) ?? value.toLowerCase();
  return value;
}

/** A CSV body with a header row; records are named by their line. */
export function parseUnitsCsv(text: string): ParsedUnits {
  const rows = readCsvRows(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(rows)) return { units: [], errors: [rows] };
  const [header, ...data] = rows.filter((r) => r.cells.some((c) => /\S/.test(c)));
  if (!header) return { units: [], errors: [{ path: '', message: 'the CSV file is empty; send a header row (id, callSign, kind, agency, stationId, serves, status) and one row per unit' }] };
  if (data.length > MAX_UNITS_PER_IMPORT) return { units: [], errors: [{ path: '', message: `at most ${MAX_UNITS_PER_IMPORT} units per import; this file has ${data.length}` }] };
  const columns = header.cells.map((c) => c.trim());
  const fields: (Column | undefined)[] = columns.map((name) => (Object.hasOwn(COLUMN_OF, name.toLowerCase()) ? COLUMN_OF[name.toLowerCase()] : undefined));
  const errors: ErrorDetail[] = [];
  columns.forEach((name, k) => {
    if (fields[k] === undefined) errors.push({ path: name || `column ${k + 1}`, message: `the header's column "${name}" is not a field of a unit; the columns are id, callSign, kind, agency, stationId, serves, status (delete or rename it)` });
  });
  const seen = new Map<Column, string>();
  columns.forEach((name, k) => {
    const field = fields[k];
    if (field === undefined) return;
    const earlier = seen.get(field);
    if (earlier !== undefined) errors.push({ path: name, message: `columns "${earlier}" and "${name}" hold the same field; keep one of them` });
    seen.set(field, name);
  });
  if (errors.length > 0) return { units: [], errors };
  const out: ParsedUnits = { units: [], errors: [] };
  for (const row of data) {
    const where = `line ${row.line}`;
    if (row.problem) {
      out.errors.push({ path: at(where, columns[row.problem.cell] ?? ''), message: `the value ${row.problem.message}` });
      continue;
    }
    if (row.cells.length !== columns.length) {
      out.errors.push({ path: where, message: `has ${row.cells.length} values but the header has ${columns.length} columns; quote values that contain commas` });
      continue;
    }
    const unit: Record<string, unknown> = {};
    fields.forEach((field, k) => {
      const value = cellValue(field!, row.cells[k] ?? '');
      if (value !== undefined) unit[field!] = value;
    });
    checked(unit, where, out);
  }
  out.errors.push(...duplicates(out.units));
  return out;
}

/** Every repeat of an id, named where it repeats and where it first came. */
function duplicates(units: readonly PlacedUnit[]): ErrorDetail[] {
  const first = new Map<string, string>();
  const errors: ErrorDetail[] = [];
  for (const { unit, where } of units) {
    const earlier = first.get(unit.id);
    if (earlier === undefined) first.set(unit.id, where);
    else errors.push({ path: at(where, 'id'), message: `unit "${unit.id}" is already given at ${earlier}; each unit once per import` });
  }
  return errors;
}
