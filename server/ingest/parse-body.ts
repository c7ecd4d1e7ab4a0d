/**
 * One intake body from raw bytes to drafts: decode, scan against the limits, parse, convert, and
 * hash for the idempotency key. Pure and synchronous; the parse worker runs it off the main thread.
 */
import { createHash } from 'node:crypto';
import type { ErrorCode, ErrorDetail } from '../contract/common.ts';
import { formatEntry, type IntakeFormat, type JsonFormat, type TextFormat } from './formats.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';
import type { IntakeLimits, LimitProblem } from './limits.ts';
import { decodeBytes, decodeXmlBody } from './xml-charset.ts';
import { oneLine } from './zod-errors.ts';

export type { IntakeFormat } from './formats.ts';

export interface ParseJob {
  format: IntakeFormat;
  body: Uint8Array;
  /** Charset of the body (Content-Type's, else utf-8), a label `TextDecoder` knows. */
  charset: string;
  /**
   * Whether Content-Type named `charset`. XML bodies sent without one are read in the encoding
   * their XML declaration names (RFC 7303); absent means not named.
   */
  charsetGiven?: boolean;
  limits: IntakeLimits;
  options: IngestOptions;
  /** `?source=` as sent: part of the idempotency hash. `null`: no Idempotency-Key, no hash. */
  hashSource: string | null;
}

export type ParseOutcome =
  /** Read: drafts and record errors, or why the payload as a whole is unusable. */
  | { type: 'parsed'; parsed: ParsedBatch | ErrorDetail[]; requestHash: string | null }
  /** Refused before reading: over a limit, not JSON, or in a charset we cannot decode. */
  | { type: 'refused'; code: Extract<ErrorCode, 'invalid_json' | 'invalid_body' | 'payload_too_large'>; message: string; details: ErrorDetail[] };

const refused = (p: LimitProblem): ParseOutcome => ({
  type: 'refused',
  code: p.kind === 'too_large' ? 'payload_too_large' : 'invalid_body',
  message: p.message,
  details: [{ path: p.path, message: p.message }],
});

const notJson = (message: string): ParseOutcome => ({ type: 'refused', code: 'invalid_json', message: `the body is not valid JSON: ${message}`, details: [{ path: '', message }] });

const hashOf = (job: ParseJob, canonical: string): string | null =>
  job.hashSource === null ? null : createHash('sha256').update(`${job.format}\n${job.hashSource}\n${canonical}`).digest('hex');

const isUtf8 = (charset: string) => /^utf-?8$/i.test(charset);

function parseJson(job: ParseJob, format: JsonFormat): ParseOutcome {
  // The scan reads UTF-8 bytes; a body in UTF-16 (allowed for JSON) is re-encoded first.
  const text = isUtf8(job.charset) ? null : new TextDecoder(job.charset).decode(job.body);
  const bytes = text === null ? job.body : new TextEncoder().encode(text);
  const problem = format.scan(bytes, job.limits);
  if (problem) return refused(problem);
  const source = text ?? new TextDecoder('utf-8').decode(bytes);
  // As express.json's strict mode: only an object or an array is an intake body.
  const first = /\S/.exec(source)?.[0];
  let body: unknown;
  try {
    body = JSON.parse(source);
  } catch (error) {
    return notJson((error as Error).message);
  }
  if (first !== '{' && first !== '[') return notJson(`expected an object or an array, not ${JSON.stringify(source.trim().slice(0, 20))}`);
  return { type: 'parsed', parsed: format.parse(body, job.options), requestHash: job.hashSource === null ? null : hashOf(job, JSON.stringify(body)) };
}

/**
 * A batch with no valid record is refused here, in the worker, naming the first 100 records: the
 * main thread then never receives (and structured-clones) an error for each of up to 20,000 records.
 */
export function refusalOfInvalidBatch(parsed: ParsedBatch): ParseOutcome {
  const details = parsed.errors.slice(0, 100).flatMap((e) =>
    e.details.map((d) => ({ path: parsed.shape === 'single' ? d.path : [String(e.index), d.path].filter(Boolean).join('.'), message: d.message })),
  );
  const first = oneLine(parsed.errors[0]?.details ?? []);
  const message = parsed.shape === 'single' ? `the incident is not valid: ${first}` : `none of the ${parsed.errors.length} incidents is valid; first (record ${parsed.errors[0]?.index}): ${first}`;
  return { type: 'refused', code: 'invalid_body', message, details };
}

const settle = (outcome: ParseOutcome): ParseOutcome => {
  if (outcome.type !== 'parsed' || Array.isArray(outcome.parsed)) return outcome;
  return outcome.parsed.drafts.length === 0 && outcome.parsed.errors.length > 0 ? refusalOfInvalidBatch(outcome.parsed) : outcome;
};

/** Reads one request body; never throws for anything a client can send. */
export function parseIntakeBody(job: ParseJob): ParseOutcome {
  return settle(readIntakeBody(job));
}

/** The text of an XML body, in the encoding RFC 7303 says applies (see xml-charset.ts). */
function decodeXml(job: ParseJob): { text: string } | ParseOutcome {
  const decoded = decodeXmlBody(job.body, job.charsetGiven === true ? job.charset : undefined);
  if ('refused' in decoded) return { type: 'refused', code: 'invalid_body', message: decoded.refused, details: [{ path: '', message: decoded.refused }] };
  return decoded;
}

function readIntakeBody(job: ParseJob): ParseOutcome {
  const format = formatEntry(job.format);
  if (format.body === 'json') return parseJson(job, format);
  const decoded = format.body === 'xml' ? decodeXml(job) : { text: decodeBytes(job.body, job.charset) };
  if (!('text' in decoded)) return decoded;
  return parseText(job, format, decoded.text);
}

function parseText(job: ParseJob, format: TextFormat, text: string): ParseOutcome {
  const problem = format.scan(text, job.limits);
  if (problem) return refused(problem);
  return { type: 'parsed', parsed: format.parse(text, job.options), requestHash: hashOf(job, text) };
}
