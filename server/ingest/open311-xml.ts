/**
 * Open311 GeoReport v2 in XML, the format every GeoReport server must offer (JSON is optional):
 * `<service_requests><request>…</request>…</service_requests>`, or one `<request>` as the root.
 * Each `<request>`'s child elements become the fields of a plain record, their texts as strings,
 * and `open311Draft` converts it exactly as it converts a JSON request. Pure: XML text → drafts +
 * per-record errors.
 *
 * `scanOpen311Xml` bounds the work before any parser builds a tree, as scan-cap.ts does for CAP:
 * requests per body (INTAKE_MAX_RECORDS), elements per body (INTAKE_CAP_MAX_ELEMENTS, the XML
 * element limit), fields and bytes per request (INTAKE_MAX_FIELDS, INTAKE_MAX_RECORD_KB).
 */
import { XMLParser } from 'fast-xml-parser';
import type { ErrorDetail } from '../contract/common.ts';
import { toBatch, type IngestOptions, type ParsedBatch } from './json.ts';
import { kb, longerThan, overLimit, type IntakeLimits, type LimitProblem } from './limits.ts';
import { open311Draft } from './open311.ts';
import { decodeText, readXmlDocument } from './xml-document.ts';
import { MarkupReader } from './xml-tags.ts';

/**
 * The first limit the Open311 XML text breaks, or `null`. One pass with `indexOf` that stops at the
 * first excess. A request's size counts its tags and texts together; a text, comment, CDATA section
 * or tag outside any request is held to the same bound. Element names are compared without their
 * namespace prefix, as the adapter reads them.
 */
export function scanOpen311Xml(text: string, limits: IntakeLimits): LimitProblem | null {
  const n = text.length;
  const max = limits.maxRecordBytes;
  let elements = 0;
  let requests = 0;
  let depth = 0;
  /** Where the open `<request>` starts (-1: none open), its depth, and its fields so far. */
  let requestStart = -1;
  let requestDepth = 0;
  let fields = 0;
  let lastElement = '';
  const where = () => (requestStart >= 0 ? `request[${requests}]` : lastElement || 'service_requests');
  const long = (what: string) => overLimit('maxRecordBytes', limits, where(), `${what} is longer than ${kb(max)}`, 'Open311 texts are short; link long documents with media_url');
  const longRequest = () => overLimit('maxRecordBytes', limits, where(), `service request ${requests} is longer than ${kb(max)}`, 'shorten its fields');

  const markup = new MarkupReader(text, max);
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (longerThan(text, i, lt < 0 ? n : lt, max)) return long(`the text of <${lastElement || 'service_requests'}>`);
    if (lt < 0) break;
    // Code units never outnumber UTF-8 bytes, so a request spanning more units than the limit has
    // bytes is too long already: caught here, at its next tag, not at its end 30 MB later.
    if (requestStart >= 0 && lt - requestStart > max) return longRequest();
    const kind = markup.read(lt);
    if (kind === 'too long') return long(markup.what);
    i = markup.end;
    if (kind === 'cdata') {
      if (longerThan(text, markup.from, markup.to, max)) return long(`a CDATA section in <${lastElement}>`);
      continue;
    }
    if (kind === 'comment') continue;
    const { closing, selfClosing, end } = markup;
    const local = markup.local();
    if (markup.declaration) continue; // declarations: the adapter refuses DOCTYPEs
    if (closing) {
      depth = Math.max(0, depth - 1);
      if (requestStart >= 0 && depth === requestDepth) {
        if (longerThan(text, requestStart, end, max)) return longRequest();
        requestStart = -1;
      }
      continue;
    }
    lastElement = local;
    if (++elements > limits.capMaxElements) {
      return overLimit('capMaxElements', limits, where(), `the body has more than ${limits.capMaxElements.toLocaleString('en')} XML elements`, 'split it into several requests');
    }
    if (requestStart >= 0 && depth === requestDepth + 1 && ++fields > limits.maxFields) {
      return overLimit('maxFields', limits, `${where()}/${local}`, `service request ${requests} has more than ${limits.maxFields} fields`, 'send only the fields an incident needs');
    }
    if (requestStart < 0 && local === 'request') {
      if (++requests > limits.maxRecords) {
        return overLimit('maxRecords', limits, `request[${requests}]`, `the body holds more than ${limits.maxRecords.toLocaleString('en')} service requests`, 'split it into several requests');
      }
      if (!selfClosing) {
        requestStart = lt;
        requestDepth = depth;
        fields = 0;
      }
    }
    if (!selfClosing) depth++;
  }
  return null;
}

const CDATA = '#cdata';

/**
 * Element names the parser refuses (`__proto__`, `constructor`, `prototype`: it throws) or renames
 * (`toString` and the like), to keep its own objects safe. A request with an extension element so
 * named must not sink the whole body, so these reach the parser with a space in front, which no
 * XML name can hold, and lose it again as record fields (own properties, so no pollution either).
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const ESCAPED = ' ';

// Entity processing stays off (no DTD entities, so no XXE and no billion laughs); the five
// predefined entities and character references are decoded by hand, in text only, never in CDATA.
// Order is kept so that a text broken by CDATA or a comment reads back in the order written.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  trimValues: false,
  cdataPropName: CDATA,
  transformTagName: (name) => (RESERVED.has(name) ? `${ESCAPED}${name}` : name),
  // service_requests/request/field is 3 deep; extensions nest a little more; deeper is an attack or a mistake.
  maxNestedTags: 16,
});

/** One node of the parser's ordered output: `{name: children}`, `{'#text': text}` or `{'#cdata': [{'#text': text}]}`. */
type Ordered = Record<string, unknown>;
const isNode = (v: unknown): v is Ordered => typeof v === 'object' && v !== null && !Array.isArray(v);
const childrenOf = (v: unknown): Ordered[] => (Array.isArray(v) ? v.filter(isNode) : []);
/** The node's name: an element's, `#text` or `#cdata` (`:@` would hold attributes, which are ignored). */
const nameOf = (node: Ordered): string | undefined => Object.keys(node).find((k) => k !== ':@');
/** A name as written, without the space that smuggled a reserved one past the parser. */
const unescaped = (name: string): string => (name.startsWith(ESCAPED) ? name.slice(ESCAPED.length) : name);
const isElement = (name: string | undefined): name is string => name !== undefined && name !== '#text' && name !== CDATA && !name.startsWith('?');

/**
 * An element as a record field: its text (entities decoded, CDATA as written), or, when it holds
 * elements, an object of them, which the conversion refuses for a field that must be text.
 */
function fieldValue(children: Ordered[]): string | Record<string, unknown> {
  if (children.some((c) => isElement(nameOf(c)))) return recordOf(children);
  let text = '';
  for (const child of children) {
    const name = nameOf(child);
    if (name === '#text') text += decodeText(String(child['#text']));
    else if (name === CDATA) text += childrenOf(child[CDATA]).map((t) => String(t['#text'] ?? '')).join('');
  }
  return text;
}

/** Child elements by name; a name given twice becomes a list, which no text field accepts. */
function recordOf(children: Ordered[]): Record<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const child of children) {
    const name = nameOf(child);
    if (!isElement(name)) continue;
    const value = fieldValue(childrenOf(child[name]));
    const field = unescaped(name);
    const seen = fields.get(field);
    fields.set(field, seen === undefined ? value : Array.isArray(seen) ? [...(seen as unknown[]), value] : [seen, value]);
  }
  // fromEntries defines own properties: a field named like an Object member stays a field.
  return Object.fromEntries(fields);
}

/** Parses the document and finds its requests, or says why the payload as a whole is unusable. */
function readRequests(xml: string): { records: Record<string, unknown>[]; shape: ParsedBatch['shape'] } | { fatal: ErrorDetail } {
  const fatal = (path: string, message: string) => ({ fatal: { path, message } });
  const read = readXmlDocument(xml, { empty: 'the Open311 XML document is empty', doctype: 'Open311 XML must not contain a DOCTYPE or entity declarations' }, (x) => parser.parse(x));
  if ('fatal' in read) return read;
  const { doc } = read;
  const roots = childrenOf(doc).filter((node) => isElement(nameOf(node)));
  const names = roots.map((r) => `<${unescaped(nameOf(r) ?? '')}>`).join(', ') || 'none';
  const [root] = roots;
  const rootName = root === undefined ? undefined : nameOf(root);
  if (roots.length !== 1 || root === undefined || rootName === undefined) {
    return fatal('', `the root element must be one <service_requests> or <request>; found ${names}`);
  }
  if (rootName === 'request') return { records: [recordOf(childrenOf(root.request))], shape: 'single' };
  if (rootName === 'errors') return fatal('errors', 'the body is an Open311 error response (<errors>), not service requests');
  if (rootName !== 'service_requests') return fatal(unescaped(rootName), `the root element must be <service_requests> or <request>; found ${names}`);
  // GeoReport v2 puts only <request>s in <service_requests>; anything else is, like an unknown field, left unread.
  const requests = childrenOf(root.service_requests).filter((node) => nameOf(node) === 'request');
  if (requests.length === 0) return fatal('service_requests', 'there are no service requests (<request>) in the body');
  return { records: requests.map((r) => recordOf(childrenOf(r.request))), shape: 'batch' };
}

/**
 * Reads Open311 GeoReport v2 XML. Returns `ErrorDetail[]` when the payload as a whole is unusable:
 * malformed XML, a DOCTYPE, a root that is neither `<service_requests>` nor `<request>`, no request.
 * Record `i` (0-based, as in JSON) is the `i+1`-th `<request>`.
 */
export function parseOpen311XmlIncidents(xml: string, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  const read = readRequests(xml);
  if ('fatal' in read) return [read.fatal];
  return toBatch(read.records, read.shape, (record) => open311Draft(record, options));
}
