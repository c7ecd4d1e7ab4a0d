/**
 * CSV ingest adapter: a header row, then one incident per row, located by `lat`/`lon` columns.
 * Pure: text → drafts + per-row errors. The parser is our own small RFC 4180 reader rather than
 * papaparse, because papaparse guesses (delimiters, quotes it repairs) where a dispatcher needs a
 * row refused with the reason, and the whole grammar fits in one screen.
 *
 * Columns (header names trimmed, any case; the Chinese ones are those a command centre's
 * spreadsheet exports use). Any other column is kept in `attributes` under its header.
 *
 * | column | field | values |
 * |---|---|---|
 * | `lat`, `latitude`, `纬度` | latitude | plain decimal degrees |
 * | `lon`, `lng`, `long`, `longitude`, `经度` | longitude | plain decimal degrees |
 * | `id`, `externalId`, `external_id`, `编号`, `事件编号` | externalId | text |
 * | `category`, `事件类型` | category | ours, or 火灾 fire, 洪涝/内涝 flood, 交通/交通事故 traffic, 危化品 hazmat, 公共卫生 public_health, 治安 public_security, 基础设施 infrastructure, 地震 earthquake, 12345/热线 hotline, 其他 other |
 * | `severity`, `严重程度` | severity | ours, or 特别严重/特大 extreme, 严重/重大 severe, 较重/较大 moderate, 一般 minor, 未知 unknown |
 * | `time`, `occurredAt`, `occurred_at`, `发生时间` | occurredAt | ISO 8601 with a zone (a space for the T is fine), or epoch ms |
 * | `title`, `标题` | title | text |
 * | `description`, `描述`, `内容` | description | text |
 * | `updatedAt`, `updated_at`, `更新时间` | version [_, updatedAt] | as `time` |
 * | `version` | version [version, _] | plain decimal number |
 * | `status`, `状态` | sourceStatus | open/closed/cancelled; 开放/处理中 open, 已办结/已关闭 closed, 已撤销/已取消 cancelled; a USGS CSV's automatic/reviewed open, deleted cancelled |
 * | `drill` | drill | true/false, yes/no, 1/0 |
 * | `地址`, `address` | attributes.address | text |
 * | `source`, `reporter_name`, `reporter_phone` | source, reporter | text |
 *
 * Words are matched case-insensitively. A time without a zone is refused rather than guessed: a
 * centre in Beijing and a server in UTC would read it eight hours apart.
 */
import type { ErrorDetail } from '../contract/common.ts';
import { Category, Instant, Severity } from '../contract/incidents.ts';
import { contentId, type IncidentDraft, type SourceStatus } from '../domain/incidents/draft.ts';
import { lifecycleFields, recordVersion, toBatch, type IngestOptions, type ParsedBatch } from './json.ts';

/** One physical record of the file: its cells, where it starts, and a syntax problem if any. */
export interface CsvRow {
  cells: string[];
  line: number;
  /** A syntax problem in one cell (0-based); the row is refused, the file read on. */
  problem?: { cell: number; message: string };
}

const DELIMITER = /[,\r\n]/g;

/**
 * Splits RFC 4180 text into rows. Quoted fields may hold commas, doubled quotes and line breaks
 * (normalised to `\n`); a quote inside an unquoted field is kept as text, as spreadsheets do.
 * A quote that never closes swallows the rest of the file, so it refuses the whole file.
 */
export function readCsvRows(text: string): CsvRow[] | ErrorDetail {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const row: CsvRow = { cells: [], line };
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        const parts: string[] = [];
        let from = i + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote < 0) {
            return { path: '', message: `the quoted value that starts on line ${line} is never closed (a missing " ?)` };
          }
          parts.push(text.slice(from, quote));
          if (text[quote + 1] !== '"') {
            i = quote + 1;
            break;
          }
          parts.push('"');
          from = quote + 2;
        }
        value = parts.join('');
        line += value.match(/\r\n|\r|\n/g)?.length ?? 0;
        value = value.replace(/\r\n?/g, '\n');
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          row.problem ??= { cell: row.cells.length, message: 'has text after its closing quote; write a quote inside a quoted value as ""' };
          DELIMITER.lastIndex = i;
          const end = DELIMITER.exec(text)?.index ?? n;
          value += text.slice(i, end);
          i = end;
        }
      } else {
        DELIMITER.lastIndex = i;
        const end = DELIMITER.exec(text)?.index ?? n;
        value = text.slice(i, end);
        i = end;
      }
      row.cells.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    rows.push(row);
  }
  return rows;
}

type Field =
  | 'lat' | 'lon' | 'source' | 'externalId' | 'category' | 'severity' | 'occurredAt' | 'title' | 'description'
  | 'reporterName' | 'reporterPhone' | 'updatedAt' | 'version' | 'status' | 'drill';

/** Header names (lower-cased, trimmed) we map to fields; any other column goes to `attributes`. */
const FIELD_OF: Readonly<Record<string, Field>> = {
  lat: 'lat', latitude: 'lat', 纬度: 'lat',
  lon: 'lon', lng: 'lon', long: 'lon', longitude: 'lon', 经度: 'lon',
  source: 'source',
  externalid: 'externalId', external_id: 'externalId', id: 'externalId', 编号: 'externalId', 事件编号: 'externalId',
  category: 'category', 事件类型: 'category',
  severity: 'severity', 严重程度: 'severity',
  occurredat: 'occurredAt', occurred_at: 'occurredAt', time: 'occurredAt', 发生时间: 'occurredAt',
  title: 'title', 标题: 'title',
  description: 'description', 描述: 'description', 内容: 'description',
  reporter_name: 'reporterName',
  reporter_phone: 'reporterPhone',
  updatedat: 'updatedAt', updated_at: 'updatedAt', 更新时间: 'updatedAt',
  version: 'version',
  status: 'status', 状态: 'status',
  drill: 'drill',
};

/** Columns kept in `attributes` under our English key, so a Chinese export reads like any other. */
const ATTRIBUTE_OF: Readonly<Record<string, string>> = { 地址: 'address' };

/**
 * Words (lower-cased) a column accepts besides our own names. Maps, so a cell reading
 * "constructor" is an unknown word, and messages list the words in this order.
 */
export const CATEGORY_WORDS = new Map<string, Category>([
  ['火灾', 'fire'], ['洪涝', 'flood'], ['内涝', 'flood'], ['交通', 'traffic'], ['交通事故', 'traffic'], ['危化品', 'hazmat'],
  ['公共卫生', 'public_health'], ['治安', 'public_security'], ['基础设施', 'infrastructure'], ['地震', 'earthquake'],
  ['12345', 'hotline'], ['热线', 'hotline'], ['其他', 'other'],
]);
const SEVERITY_WORDS = new Map<string, Severity>([
  ['特别严重', 'extreme'], ['特大', 'extreme'], ['严重', 'severe'], ['重大', 'severe'], ['较重', 'moderate'], ['较大', 'moderate'],
  ['一般', 'minor'], ['未知', 'unknown'],
]);
const STATUS_WORDS = new Map<string, SourceStatus>([
  ['open', 'open'], ['closed', 'closed'], ['cancelled', 'cancelled'],
  ['开放', 'open'], ['处理中', 'open'], ['已办结', 'closed'], ['已关闭', 'closed'], ['已撤销', 'cancelled'], ['已取消', 'cancelled'],
  // A USGS CSV feed's review status: a deleted event has left the catalogue, the others stand.
  ['automatic', 'open'], ['reviewed', 'open'], ['deleted', 'cancelled'],
]);
const DRILL_WORDS = new Map<string, boolean>([['true', true], ['false', false], ['yes', true], ['no', false], ['1', true], ['0', false]]);

/** A value by its word, any case: our own name, else the table's; `undefined` if neither. */
function wordOf<T extends string | boolean>(value: string, own: readonly T[], words: ReadonlyMap<string, T>): T | undefined {
  const key = value.toLowerCase();
  return own.find((o) => o === key) ?? words.get(key);
}

/** Every word a column accepts, for an error message: ours, then the others. */
const listOf = (own: readonly string[], words: ReadonlyMap<string, unknown>): string => [...new Set([...own, ...words.keys()])].join(', ');

/** The same limits as the JSON input (`IncidentInput`), so a CSV row is no laxer than an object. */
const MAX_LENGTH: readonly [Field, number][] = [
  ['source', 100], ['externalId', 200], ['title', 500], ['description', 10_000], ['reporterName', 200], ['reporterPhone', 40],
];

interface Column {
  /** As written in the header (trimmed): errors name the column the way the user sees it. */
  name: string;
  field: Field | null;
  /** The key an unmapped column is kept under in `attributes` when it is not `name` (地址 → address). */
  attribute?: string;
}

function readHeader(cells: string[]): Column[] | ErrorDetail {
  const columns = cells.map((cell) => {
    const name = cell.trim();
    const key = name.toLowerCase();
    // Own keys only: a column named "constructor" is an extra column, not Object's constructor.
    const field = Object.hasOwn(FIELD_OF, key) ? FIELD_OF[key]! : null;
    const attribute = Object.hasOwn(ATTRIBUTE_OF, key) ? ATTRIBUTE_OF[key] : undefined;
    return { name, field, ...(attribute !== undefined ? { attribute } : {}) };
  });
  const seen = new Map<string, string>();
  for (const c of columns) {
    if (c.name === '') continue;
    const key = c.field ?? (c.attribute ?? c.name).toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      return { path: c.name, message: `columns "${earlier}" and "${c.name}" hold the same field; keep one of them` };
    }
    seen.set(key, c.name);
  }
  const hasLat = columns.some((c) => c.field === 'lat');
  const hasLon = columns.some((c) => c.field === 'lon');
  if (hasLat && hasLon) return columns;
  if (hasLat || hasLon) {
    const missing = hasLat ? 'lon' : 'lat';
    const names = hasLat ? 'lon, lng, long, longitude or 经度' : 'lat, latitude or 纬度';
    return { path: missing, message: `the header has no ${missing === 'lat' ? 'latitude' : 'longitude'} column (${names}), so no row can be placed on the map` };
  }
  // A one-column header full of semicolons or tabs is a spreadsheet saved with another separator.
  const hint = cells.length === 1 && /[;\t]/.test(cells[0] ?? '') ? '; values must be separated by commas' : '';
  const found = columns.map((c) => c.name).filter(Boolean).join(', ') || '(none)';
  return { path: '', message: `the header needs location columns lat and lon (or latitude and longitude); found: ${found}${hint}` };
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function coordinate(value: string, column: string, field: 'lat' | 'lon', other: string): number | ErrorDetail {
  const label = field === 'lat' ? 'latitude' : 'longitude';
  if (value === '') return { path: column, message: `the ${label} is empty; every row needs a location` };
  if (!DECIMAL.test(value)) return { path: column, message: `the ${label} "${value}" is not a plain decimal number like 30.2741` };
  const n = Number(value);
  const max = field === 'lat' ? 90 : 180;
  if (Math.abs(n) <= max) return n;
  // Hangzhou is at 30°N 120°E: a latitude of 120 usually means the two columns were swapped.
  const swapped = field === 'lat' && DECIMAL.test(other) && Math.abs(Number(other)) <= 90 ? '; are latitude and longitude swapped?' : '';
  return { path: column, message: `the ${label} ${value} is outside [-${max}, ${max}]${swapped}` };
}

function instantMs(value: string, column: string): number | ErrorDetail {
  // Spreadsheets write "2026-11-23 08:00:00+08:00": accept the space where ISO 8601 has a T.
  const candidate = /^\d+$/.test(value) ? Number(value) : value.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T');
  const parsed = Instant.safeParse(candidate);
  if (parsed.success) return typeof parsed.data === 'number' ? parsed.data : Date.parse(parsed.data);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value)) {
    return { path: column, message: `"${value}" has no time zone, so the instant is ambiguous; add one, e.g. ${value}+08:00 for Beijing time or ${value}Z for UTC` };
  }
  return { path: column, message: `"${value}" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00, nor epoch milliseconds` };
}

/** A cell read by a table of words; blank → `undefined`; an unknown word → an error listing them all. */
function word<T extends string | boolean>(
  { value, column }: { value: string; column: string },
  what: string,
  own: readonly T[],
  words: ReadonlyMap<string, T>,
): T | undefined | ErrorDetail {
  if (value === '') return undefined;
  return wordOf(value, own, words) ?? { path: column, message: `"${value}" is not ${what}; use one of ${listOf(own.map(String), words)}` };
}

function versionNumber({ value, column }: { value: string; column: string }): number | undefined | ErrorDetail {
  if (value === '') return undefined;
  return DECIMAL.test(value) ? Number(value) : { path: column, message: `"${value}" is not a version; write a plain number like 3` };
}

/** An unnamed column (a trailing comma in the header) is usually empty; name what it does hold. */
const nameOf = (column: Column, k: number): string => column.name || `column ${k + 1}`;

/** One data row → a draft, or every problem of the row (a row without id is named by its cells). */
function rowToDraft(cells: string[], columns: Column[], options: IngestOptions): IncidentDraft | ErrorDetail[] {
  const values: Partial<Record<Field, string>> = {};
  const names: Partial<Record<Field, string>> = {};
  const attributes: Record<string, string> = {};
  columns.forEach((column, k) => {
    const value = (cells[k] ?? '').trim();
    const name = nameOf(column, k);
    if (column.field !== null) {
      values[column.field] = value;
      names[column.field] = column.name;
    } else if (value !== '') {
      // defineProperty: a column named "__proto__" is data like any other, not the object's prototype.
      Object.defineProperty(attributes, column.attribute ?? name, { value, enumerable: true, writable: true, configurable: true });
    }
  });
  const errors: ErrorDetail[] = [];
  const lat = coordinate(values.lat ?? '', names.lat ?? 'lat', 'lat', values.lon ?? '');
  const lon = coordinate(values.lon ?? '', names.lon ?? 'lon', 'lon', values.lat ?? '');
  for (const c of [lat, lon]) if (typeof c !== 'number') errors.push(c);
  for (const [field, max] of MAX_LENGTH) {
    const length = values[field]?.length ?? 0;
    if (length > max) errors.push({ path: names[field] ?? field, message: `is ${length} characters long; at most ${max} are allowed` });
  }
  // Each reader gives a value, `undefined` for a blank cell, or an error naming the column.
  const take = <T extends string | number | boolean>(out: T | undefined | ErrorDetail): T | undefined => {
    if (typeof out !== 'object') return out;
    errors.push(out);
    return undefined;
  };
  const cell = (field: Field) => ({ value: values[field] ?? '', column: names[field] ?? field });
  const category = take(word(cell('category'), 'a category', Category.options, CATEGORY_WORDS));
  const severity = take(word(cell('severity'), 'a severity', Severity.options, SEVERITY_WORDS));
  const status = take(word(cell('status'), 'a status', [], STATUS_WORDS));
  const drill = take(word(cell('drill'), 'true or false', [], DRILL_WORDS));
  const occurred = values.occurredAt ? take(instantMs(values.occurredAt, names.occurredAt ?? 'occurredAt')) : options.nowMs;
  const updated = values.updatedAt ? take(instantMs(values.updatedAt, names.updatedAt ?? 'updatedAt')) : undefined;
  const version = take(versionNumber(cell('version')));
  if (errors.length > 0 || typeof lat !== 'number' || typeof lon !== 'number' || occurred === undefined) return errors;
  const { reporterName: name, reporterPhone: phone } = values;
  const reporter = name || phone ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } : null;
  return {
    source: values.source || options.defaultSource || 'csv',
    externalId: values.externalId || contentId(Object.fromEntries(columns.map((c, k) => [nameOf(c, k).toLowerCase(), (cells[k] ?? '').trim()]))),
    category: category ?? 'other',
    severity: severity ?? 'unknown',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    occurredAtMs: occurred,
    title: values.title ?? '',
    description: values.description ?? '',
    reporter,
    attributes,
    ...lifecycleFields(recordVersion(version, updated), status, drill),
  };
}


/**
 * Reads a CSV body: a header row, then one incident per row. Returns `ErrorDetail[]` when the file
 * as a whole is unusable (empty, no data rows, no location columns, an unclosed quote). Rows whose
 * cells are all blank are skipped and not counted; a record's `index` is its data row (0-based).
 * Unknown columns go to `attributes` as strings (blank cells left out); a row without an id column
 * value gets a hash of its cells, so importing the same file twice adds nothing.
 */
export function parseCsvIncidents(text: string, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  const rows = readCsvRows(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(rows)) return [rows];
  const nonBlank = rows.filter((r) => r.cells.some((c) => /\S/.test(c)));
  const [header, ...data] = nonBlank;
  if (header === undefined) return [{ path: '', message: 'the CSV file is empty; send a header row and one row per incident' }];
  if (header.problem) return [{ path: '', message: `the header (line ${header.line}): column ${header.problem.cell + 1} ${header.problem.message}` }];
  const columns = readHeader(header.cells);
  if (!Array.isArray(columns)) return [columns];
  if (data.length === 0) return [{ path: '', message: 'the CSV file has a header but no rows' }];
  return toBatch(data, 'batch', (row): IncidentDraft | ErrorDetail[] => {
    if (row.problem !== undefined) {
      return [{ path: columns[row.problem.cell]?.name ?? '', message: `line ${row.line}: the value ${row.problem.message}` }];
    }
    if (row.cells.length !== columns.length) {
      return [{ path: '', message: `line ${row.line} has ${row.cells.length} values but the header has ${columns.length} columns; quote values that contain commas` }];
    }
    return rowToDraft(row.cells, columns, options);
  });
}
