/**
 * Reading a CAP document: parse the XML safely (no entities, bounded nesting, long polygon texts
 * lifted out of the parser's way), find the one `<alert>` in a CAP namespace, and read element
 * texts and date-times from the tree. What the elements mean is cap.ts's business.
 */
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ErrorDetail } from '../contract/common.ts';
import { Instant } from '../contract/incidents.ts';
import { decodeText, readXmlDocument } from './xml-document.ts';

const CAP_NAMESPACES = ['urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'];

// Entity processing stays off (no DTD entities, so no XXE and no billion laughs); the five
// predefined entities and character references are decoded by hand, and only in text we use.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  // CAP is at most 5 levels deep (alert/info/area/geocode/value); deeper is an attack or a mistake.
  maxNestedTags: 32,
  isArray: (name) => ['info', 'area', 'polygon', 'circle', 'category', 'geocode'].includes(name),
});

export type Node = Record<string, unknown>;
export const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Child elements by name; an empty element (`<info/>`) parses as "" and counts as an empty node. */
export const children = (node: Node, name: string): Node[] =>
  (Array.isArray(node[name]) ? (node[name] as unknown[]) : []).map((c) => (isNode(c) ? c : {}));
/** Texts of the child elements `name` (repeated or not), decoded; elements with markup inside are skipped. */
export function texts(node: Node, name: string): string[] {
  const values: unknown[] = Array.isArray(node[name]) ? node[name] : [node[name]];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => decodeText(v.trim()));
}
export const text = (node: Node, name: string): string | undefined => texts(node, name)[0];
/** How many `name` children have text, without decoding (or copying) a long polygon to find out. */
export const countTexts = (node: Node, name: string): number =>
  (Array.isArray(node[name]) ? (node[name] as unknown[]) : [node[name]]).filter((v) => typeof v === 'string' && /\S/.test(v)).length;
/**
 * Like `texts`, but one entry per element, `undefined` for an empty one or one with markup inside,
 * so an error can name the element by its position.
 */
export function textsByPosition(node: Node, name: string): (string | undefined)[] {
  const values: unknown[] = Array.isArray(node[name]) ? node[name] : node[name] === undefined ? [] : [node[name]];
  return values.map((v) => (typeof v === 'string' && v.trim() !== '' ? decodeText(v.trim()) : undefined));
}

/** A CAP date-time (with its time zone) in epoch ms, or `undefined` when it is not one. */
export function instantMs(value: string): number | undefined {
  const parsed = Instant.safeParse(value);
  return parsed.success && typeof parsed.data === 'string' ? Date.parse(parsed.data) : undefined;
}

/** The root element as written, to check the namespace its prefix (or default) is bound to. */
function namespaceOfRoot(xml: string): string | undefined {
  const tag = /<(?:([A-Za-z_][\w.-]*):)?alert\b([^>]*)>/.exec(xml.replace(/<!--[\s\S]*?-->/g, ''));
  if (!tag) return undefined;
  const attr = tag[1] ? `xmlns:${tag[1]}` : 'xmlns';
  return new RegExp(`\\s${attr}\\s*=\\s*["']([^"']*)["']`).exec(tag[2] ?? '')?.[1];
}

/**
 * fast-xml-parser slows to seconds on one long text (2.9 s for a 100,000-point polygon, where the
 * validator takes 0.1 s), so long polygon texts are swapped for markers before parsing and put back
 * in the tree after it; the markers hold a random nonce, so no text a sender writes can pose as one.
 * Found with indexOf, not a RegExp: a pattern over a 4 MB text cost half a second.
 */
function liftPolygonTexts(xml: string): { xml: string; restore(doc: unknown): unknown } {
  const texts: string[] = [];
  const marker = `\u{E000}polygon-${randomUUID()}-`;
  const parts: string[] = [];
  let copied = 0;
  for (let lt = xml.indexOf('<'); lt >= 0; ) {
    const gt = xml.indexOf('>', lt);
    const next = gt < 0 ? -1 : xml.indexOf('<', gt);
    if (next < 0) break;
    const name = /^<([\w.:-]+)/.exec(xml.slice(lt, Math.min(gt, lt + 200)))?.[1] ?? '';
    const closing = xml.slice(next, next + 2 + name.length + 1);
    if (next - gt > 1024 && name.replace(/^.*:/, '') === 'polygon' && closing.startsWith(`</${name}`)) {
      parts.push(xml.slice(copied, gt + 1), `${marker}${texts.push(xml.slice(gt + 1, next)) - 1}`);
      copied = next;
    }
    lt = next;
  }
  if (texts.length === 0) return { xml, restore: (doc) => doc };
  parts.push(xml.slice(copied));
  const put = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith(marker) ? (texts[Number(value.slice(marker.length))] ?? value) : value;
    if (Array.isArray(value)) return value.map(put);
    if (isNode(value)) for (const key of Object.keys(value)) value[key] = put(value[key]);
    return value;
  };
  return { xml: parts.join(''), restore: put };
}

/** Parses the document and finds `<alert>`, or says why the payload as a whole is unusable. */
export function readAlert(xml: string): { alert: Node } | { fatal: ErrorDetail } {
  const fatal = (path: string, message: string) => ({ fatal: { path, message } });
  const read = readXmlDocument(xml, { empty: 'the CAP document is empty', doctype: 'a CAP alert must not contain a DOCTYPE or entity declarations' }, (x) => {
    const lifted = liftPolygonTexts(x);
    return lifted.restore(parser.parse(lifted.xml));
  });
  if ('fatal' in read) return read;
  const { doc } = read;
  const roots = isNode(doc) ? Object.keys(doc).filter((k) => !k.startsWith('?')) : [];
  if (roots.length !== 1 || roots[0] !== 'alert') {
    return fatal(roots[0] ?? '', `the root element must be a CAP <alert>; found ${roots.map((r) => `<${r}>`).join(', ') || 'none'}`);
  }
  // Two root elements of the same name parse as one array: still not a single document.
  if (isNode(doc) && Array.isArray(doc.alert)) return fatal('alert', 'the root element must be one CAP <alert>; found several');
  const ns = namespaceOfRoot(xml);
  if (ns !== undefined && !CAP_NAMESPACES.includes(ns)) {
    return fatal('alert', `<alert> is in namespace "${ns}"; expected CAP 1.2 (${CAP_NAMESPACES[0]})`);
  }
  return { alert: isNode(doc) && isNode(doc.alert) ? doc.alert : {} };
}
