/**
 * What every XML intake format (CAP, Open311 XML) asks of a document before its adapter looks for
 * records: not empty, no DOCTYPE or entity declarations, well-formed, and readable by the parser.
 * Each adapter words the first two for its format; the others read the same for all. And, as the
 * parsers process no entities, the decoding of the few a text may hold.
 */
import { XMLValidator, type ValidationError } from 'fast-xml-parser';
import type { ErrorDetail } from '../contract/common.ts';

/** How a format names its own document in the answers that refuse it. */
export interface DocumentWording {
  /** For a body of blanks only, e.g. "the CAP document is empty". */
  empty: string;
  /** For a body that declares a DOCTYPE or entities, e.g. "a CAP alert must not contain a DOCTYPE or entity declarations". */
  doctype: string;
}

/**
 * The validator's complaint as an answer. A cut-off document it reports as
 * "Invalid '[ "alert", "info" ]' found.": that is said plainly, naming the elements left open.
 */
export function malformedMessage(err: ValidationError['err']): string {
  const open = /^Invalid '\[([\s\S]*)\]' found\.$/.exec(err.msg)?.[1] ?? '';
  const names = [...open.matchAll(/"([^"]*)"/g)].map((m) => `<${m[1]}>`).join(', ');
  if (names) return `the XML is malformed: it ends before closing ${names} (cut off?)`;
  return `the XML is malformed at line ${err.line}, column ${err.col ?? 1}: ${err.msg}`;
}

/**
 * Checks the document and parses it with `parse`, or says why the payload as a whole is unusable.
 * Neither format has a use for a DOCTYPE and the parsers never process entities, so declarations
 * are refused outright, before the validator or parser sees them.
 */
export function readXmlDocument(xml: string, wording: DocumentWording, parse: (xml: string) => unknown): { doc: unknown } | { fatal: ErrorDetail } {
  if (xml.trim() === '') return { fatal: { path: '', message: wording.empty } };
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { fatal: { path: '', message: wording.doctype } };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { fatal: { path: '', message: malformedMessage(valid.err) } };
  try {
    return { doc: parse(xml) };
  } catch (error) { // e.g. "Maximum nested tags exceeded": an answer, never a crash
    return { fatal: { path: '', message: `the XML cannot be read: ${(error as Error).message}` } };
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * A text with the five predefined entities and character references decoded: the parsers run with
 * entity processing off (no DTD entities, so no XXE and no billion laughs), so the adapters decode
 * these by hand, in the texts they use. Anything else, and a reference past U+10FFFF, stays as written.
 */
export function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
