/**
 * Every intake format in one table: its name, the Content-Types (and `?format=` flag) that choose
 * it, how its body is decoded, the scan that bounds it by the intake limits before parsing, and its
 * parser. The intake route picks a format here, the parse worker reads a body by it, and the golden
 * fixtures run through it: a new format is one new entry.
 */
import type { ErrorDetail } from '../contract/common.ts';
import { parseCapIncidents } from './cap.ts';
import { parseCsvIncidents } from './csv.ts';
import { parseJsonIncidents, type IngestOptions, type ParsedBatch } from './json.ts';
import type { IntakeLimits, LimitProblem } from './limits.ts';
import { parseOpen311XmlIncidents, scanOpen311Xml } from './open311-xml.ts';
import { parseOpen311Incidents } from './open311.ts';
import { scanCap } from './scan-cap.ts';
import { scanCsv } from './scan-csv.ts';
import { scanJson } from './scan-json.ts';

/** `open311` is Open311 in JSON, `open311-xml` in XML (both `?format=open311`, told apart by Content-Type). */
export type IntakeFormat = 'json' | 'open311' | 'open311-xml' | 'csv' | 'cap';

/** What a parser makes of a body: drafts and record errors, or why the payload as a whole is unusable. */
export type ParseResult = ParsedBatch | ErrorDetail[];

interface FormatEntry {
  format: IntakeFormat;
  /** Content-Types that carry it (express `req.is` patterns). */
  contentTypes: readonly string[];
  /** The `?format=` value that selects it; `null`: chosen by Content-Type alone. */
  query: 'open311' | null;
  /** The file extension its documents usually have (golden fixtures fall back on it). */
  extension: 'json' | 'csv' | 'xml';
}

/** JSON bodies: Unicode only (RFC 8259), scanned as UTF-8 bytes, parsed once into a value. */
export interface JsonFormat extends FormatEntry {
  body: 'json';
  scan(bytes: Uint8Array, limits: IntakeLimits): LimitProblem | null;
  parse(value: unknown, options: IngestOptions): ParseResult;
}

/** Text bodies: `text` decoded in the request's charset, `xml` in the one RFC 7303 says applies. */
export interface TextFormat extends FormatEntry {
  body: 'text' | 'xml';
  scan(text: string, limits: IntakeLimits): LimitProblem | null;
  parse(text: string, options: IngestOptions): ParseResult;
}

export type IntakeFormatEntry = JsonFormat | TextFormat;

const JSON_TYPES = ['application/json', 'application/geo+json', 'application/*+json'];
/** Generic XML; `application/cap+xml` says the body is a CAP alert, never Open311. */
const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * In the order the route tries them: the first whose flag and Content-Type match is the format.
 * JSON takes GeoJSON and USGS feeds as they are (json.ts tells them apart by shape).
 */
export const INTAKE_FORMATS: readonly IntakeFormatEntry[] = [
  { format: 'json', contentTypes: JSON_TYPES, query: null, extension: 'json', body: 'json', scan: scanJson, parse: parseJsonIncidents },
  { format: 'csv', contentTypes: ['text/csv', 'application/csv'], query: null, extension: 'csv', body: 'text', scan: scanCsv, parse: parseCsvIncidents },
  { format: 'cap', contentTypes: ['application/cap+xml', ...XML_TYPES], query: null, extension: 'xml', body: 'xml', scan: scanCap, parse: parseCapIncidents },
  { format: 'open311', contentTypes: JSON_TYPES, query: 'open311', extension: 'json', body: 'json', scan: scanJson, parse: parseOpen311Incidents },
  // XML is GeoReport v2's required format (JSON is optional), so a server's own output imports as it is.
  { format: 'open311-xml', contentTypes: XML_TYPES, query: 'open311', extension: 'xml', body: 'xml', scan: scanOpen311Xml, parse: parseOpen311XmlIncidents },
];

export function formatEntry(format: IntakeFormat): IntakeFormatEntry {
  const entry = INTAKE_FORMATS.find((f) => f.format === format);
  if (!entry) throw new Error(`no intake format "${format}"`);
  return entry;
}

/**
 * The format a request is in: the first whose `?format=` flag is the request's (`undefined`: none
 * given) and one of whose Content-Types `matches` the request's; `undefined` when no format is.
 */
export function chooseFormat(flag: string | undefined, matches: (contentTypes: readonly string[]) => boolean): IntakeFormatEntry | undefined {
  return INTAKE_FORMATS.find((f) => f.query === (flag ?? null) && matches(f.contentTypes));
}

/** Every Content-Type some format takes, each once. */
export const INTAKE_CONTENT_TYPES: readonly string[] = [...new Set(INTAKE_FORMATS.flatMap((f) => f.contentTypes))];

/** Every `?format=` value some format answers to. */
export const INTAKE_QUERY_FLAGS: readonly string[] = [...new Set(INTAKE_FORMATS.flatMap((f) => (f.query === null ? [] : [f.query])))];

/**
 * Parses a document already read as text, with no limits (fixtures, tools): JSON formats parse the
 * text as JSON first, which throws on text that is not JSON.
 */
export function parseText(entry: IntakeFormatEntry, text: string, options: IngestOptions): ParseResult {
  return entry.body === 'json' ? entry.parse(JSON.parse(text), options) : entry.parse(text, options);
}
