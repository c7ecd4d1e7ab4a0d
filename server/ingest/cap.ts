/**
 * CAP 1.2 ingest adapter (OASIS Common Alerting Protocol). Pure: XML text → incident drafts, notices
 * about earlier alerts, and per-record errors. Paths in errors are XPath-like element paths, 1-based
 * as in XPath, e.g. `alert/info[1]/area[2]/polygon`.
 *
 * A CAP alert is a living document: later alerts of the same sender update or cancel it, so each
 * draft says which earlier incidents it continues (`refers`), by which names later alerts may reach
 * it (`aliases`), and how new it is (`version`); the store matches them within one source.
 *
 * Records. The `<info>` blocks that tell one event in several languages form a group (below); each
 * group × `<area>` (the areas of the group's first info) is one incident. Its `externalId` is the
 * alert's `identifier` when the alert makes one incident, else `identifier#g.j` (g: group, j: area,
 * 1-based); an alert without identifier gets a hash of its header, info and area instead.
 *
 * `<msgType>`:
 * | msgType  | becomes                                                                                 |
 * |----------|-----------------------------------------------------------------------------------------|
 * | Alert    | drafts (so does a missing or unknown msgType, as before msgType was read)                |
 * | Update   | drafts that refer to the referenced alerts' incidents                                    |
 * | Cancel   | with `<info>`: drafts as for Update, with `sourceStatus: 'cancelled'`; without: one `cancel` notice |
 * | Ack      | one `ack` notice (note: `<note>`), never drafts, even when it carries `<info>`           |
 * | Error    | one `error` notice, likewise                                                             |
 * A Cancel, Ack or Error without `<info>` is complete as CAP defines it; an Alert or Update without
 * `<info>` describes nothing and is refused as a whole.
 *
 * `<status>`: only `Actual` is live; `Exercise`, `System`, `Test`, `Draft` (any other value) give
 * `drill: true`. A missing status counts as live, as it did before status was read.
 *
 * References. `<references>` is a space-separated list of `sender,identifier,sent` triples. A record
 * can only name incidents of its own source, and the source is the sender (`<sender>`, else
 * `?source=`), so only triples whose sender equals it apply; all triples, as written, stay in
 * `attributes.references`. For an alert with identifier I and each applying referenced identifier R:
 * - every draft has alias `I#*`, the alert-wide name by which a later Cancel without `<info>` reaches
 *   all of the alert's incidents; a one-incident alert's draft also has `I#1.1`, so a later Update of
 *   several areas reaches it through its first;
 * - an Update or Cancel draft for group g, area j refers to `R#g.j`, and for (1, 1) also to `R`: the
 *   same place in the referenced alert, whether that one made several incidents or one;
 * - a notice refers to `R` and `R#*`: every incident of the referenced alert.
 *
 * Version: `[sent as epoch ms, rank]`, rank Alert 0, Update 1, Cancel 2, so that of two messages sent
 * in the same second (CAP's `sent` has no fraction) a Cancel beats an Update and an Update an Alert.
 * Ack and Error notices change no incident: `[sent]`. A missing or unreadable `<sent>` (CAP requires
 * it) gives `[]`: unversioned.
 *
 * Languages. Two infos are one event when their `<language>`s differ (missing: `en-US`, as CAP says)
 * and their language-independent content agrees: categories, severity, urgency, certainty, onset,
 * effective, expires, and each area's polygons, circles and geocodes (numbers compared as numbers,
 * times as instants). A group is filled in document order and never holds a language twice; the
 * first info of the group gives title, description and the other attributes, and a group of several
 * infos adds `attributes.texts`: `{language, title, description, areaDesc?}` for each of its infos
 * in document order. (A group of one has nothing to add: its texts are the draft's own fields.)
 *
 * Areas. One `<polygon>` → Polygon; one `<circle>` → Point at its centre with `attributes.radiusKm`;
 * more shapes → MultiPolygon of every polygon, then every circle (the parser does not keep the order
 * between the two kinds), each circle approximated by a 64-gon on the sphere, with
 * `attributes.circles: [{center: [lon, lat], radiusKm}]`. An area given by `<geocode>`s alone →
 * `geometry: null`, `geocodes` and `placePath` (the intake resolves them against stored regions);
 * geocodes of an area that has shapes are not used. An area with neither is an error.
 *
 * CAP `<category>` → our category (the first listed category that maps to something specific wins):
 * | CAP        | ours                                                                          |
 * |------------|-------------------------------------------------------------------------------|
 * | Geo        | earthquake when `event` mentions an earthquake (or 地震), else other            |
 * | Met        | flood when `event` mentions flood, rain or typhoon (洪, 涝, 雨, 台风), else other |
 * | Safety     | public_security (CAP: "general emergency and public safety"; we have no public_safety) |
 * | Security   | public_security                                                               |
 * | Rescue     | other                                                                         |
 * | Fire       | fire                                                                          |
 * | Health     | public_health                                                                 |
 * | Env        | other (pollution is not necessarily hazmat)                                   |
 * | Transport  | traffic                                                                       |
 * | Infra      | infrastructure                                                                |
 * | CBRNE      | hazmat                                                                        |
 * | Other      | other                                                                         |
 */
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ErrorDetail } from '../contract/common.ts';
import { Instant, type Category, type IncidentGeometry, type Severity } from '../contract/incidents.ts';
import { contentId, type IncidentDraft } from '../domain/incidents/draft.ts';
import type { IngestOptions, ParsedBatch, ParsedNotice } from './json.ts';
import { decodeText, readXmlDocument } from './xml-document.ts';

const CAP_NAMESPACES = ['urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'];

const EARTHQUAKE = /earthquake|quake|地震/i;
const FLOOD = /flood|rain|typhoon|storm surge|洪|涝|雨|台风/i;

function categoryOf(capCategories: string[], event: string): Category {
  const mapped = capCategories.map((c): Category => {
    switch (c.toLowerCase()) {
      case 'geo': return EARTHQUAKE.test(event) ? 'earthquake' : 'other';
      case 'met': return FLOOD.test(event) ? 'flood' : 'other';
      case 'safety': case 'security': return 'public_security';
      case 'fire': return 'fire';
      case 'health': return 'public_health';
      case 'transport': return 'traffic';
      case 'infra': return 'infrastructure';
      case 'cbrne': return 'hazmat';
      default: return 'other'; // Rescue, Env, Other, and anything unknown
    }
  });
  return mapped.find((c) => c !== 'other') ?? 'other';
}

const SEVERITIES: Readonly<Record<string, Severity>> = { extreme: 'extreme', severe: 'severe', moderate: 'moderate', minor: 'minor', unknown: 'unknown' };

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

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Child elements by name; an empty element (`<info/>`) parses as "" and counts as an empty node. */
const children = (node: Node, name: string): Node[] =>
  (Array.isArray(node[name]) ? (node[name] as unknown[]) : []).map((c) => (isNode(c) ? c : {}));
/** Texts of the child elements `name` (repeated or not), decoded; elements with markup inside are skipped. */
function texts(node: Node, name: string): string[] {
  const values: unknown[] = Array.isArray(node[name]) ? node[name] : [node[name]];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => decodeText(v.trim()));
}
const text = (node: Node, name: string): string | undefined => texts(node, name)[0];
/** How many `name` children have text, without decoding (or copying) a long polygon to find out. */
const countTexts = (node: Node, name: string): number =>
  (Array.isArray(node[name]) ? (node[name] as unknown[]) : [node[name]]).filter((v) => typeof v === 'string' && /\S/.test(v)).length;
/**
 * Like `texts`, but one entry per element, `undefined` for an empty one or one with markup inside,
 * so an error can name the element by its position.
 */
function textsByPosition(node: Node, name: string): (string | undefined)[] {
  const values: unknown[] = Array.isArray(node[name]) ? node[name] : node[name] === undefined ? [] : [node[name]];
  return values.map((v) => (typeof v === 'string' && v.trim() !== '' ? decodeText(v.trim()) : undefined));
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

type LonLat = [number, number];

/** "lat,lon" (CAP writes latitude first) → GeoJSON [lon, lat], or what is wrong with it. */
function position(pair: string, what: string): LonLat | string {
  const parts = pair.split(',');
  if (parts.length !== 2 || !parts.every((p) => DECIMAL.test(p))) return `${what} "${pair}" is not "lat,lon" in decimal degrees`;
  const [lat, lon] = parts.map(Number) as [number, number];
  if (Math.abs(lat) > 90) return `${what} has latitude ${lat}, outside [-90, 90]; CAP writes latitude first ("lat,lon")`;
  if (Math.abs(lon) > 180) return `${what} has longitude ${lon}, outside [-180, 180]`;
  return [lon, lat];
}

// Producers sometimes write "30.1, 120.2": a space after the comma is not a new point.
const tidy = (raw: string): string => raw.trim().replace(/\s*,\s*/g, ',');

/** A closed GeoJSON ring of at least 4 positions from a CAP polygon, or what is wrong with it. */
function polygonRing(raw: string): LonLat[] | string {
  const ring: LonLat[] = [];
  for (const [k, pair] of tidy(raw).split(/\s+/).entries()) {
    const p = position(pair, `point ${k + 1}`);
    if (typeof p === 'string') return p;
    ring.push(p);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  // CAP requires the first point repeated at the end; close an open ring rather than lose the alert.
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
  if (ring.length < 4) return `has ${ring.length} point(s) once closed; a polygon needs at least 3 corners and the first repeated at the end`;
  return ring;
}

interface Circle {
  center: LonLat;
  radiusKm: number;
}

function circle(raw: string): Circle | string {
  const parts = tidy(raw).split(/\s+/);
  const [centre, radius] = parts;
  if (parts.length !== 2 || centre === undefined || radius === undefined) return `"${raw.trim()}" is not "lat,lon radius_km"`;
  const p = position(centre, 'the centre');
  if (typeof p === 'string') return p;
  // A decimal of hundreds of digits is Infinity as a number: no distance, and no ring around it.
  const km = Number(radius);
  if (!DECIMAL.test(radius) || km < 0 || !Number.isFinite(km)) return `the radius "${radius}" is not a distance in kilometres`;
  return { center: p, radiusKm: km };
}

/** Mean Earth radius (IUGG), the sphere CAP circles are drawn on here. */
const EARTH_RADIUS_KM = 6371.0088;
/** Corners of the polygon standing for a circle: its sides stray at most 0.12 % of the radius inside the circle (12 m on 10 km). */
const CIRCLE_SIDES = 64;
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7; // 1e-7 degree is about 1 cm

/**
 * A circle as a closed ring of CIRCLE_SIDES corners on the sphere, each at the great-circle distance
 * `radiusKm` from the centre (the destination-point formula), counter-clockwise on a lon/lat map as
 * GeoJSON asks of an outer ring. A zero radius (CAP's way to give a point) has no area: its ring is
 * the centre four times, the fewest positions a GeoJSON ring may hold.
 */
function circleRing({ center, radiusKm }: Circle): LonLat[] {
  if (radiusKm === 0) return Array.from({ length: 4 }, (): LonLat => [center[0], center[1]]);
  const rad = Math.PI / 180;
  const d = radiusKm / EARTH_RADIUS_KM;
  const lat1 = center[1] * rad;
  const lon1 = center[0] * rad;
  const ring: LonLat[] = [];
  for (let k = 0; k < CIRCLE_SIDES; k++) {
    const bearing = (-2 * Math.PI * k) / CIRCLE_SIDES; // north, then west: counter-clockwise
    const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
    const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
    ring.push([round7((((lon2 / rad + 540) % 360) + 360) % 360 - 180), round7(lat2 / rad)]);
  }
  ring.push(ring[0] as LonLat);
  return ring;
}

function instantMs(value: string): number | undefined {
  const parsed = Instant.safeParse(value);
  return parsed.success && typeof parsed.data === 'string' ? Date.parse(parsed.data) : undefined;
}

const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
type MsgType = (typeof MSG_TYPES)[number];
/** Order of messages sent in the same second about the same incident. */
const RANK: Readonly<Record<'Alert' | 'Update' | 'Cancel', number>> = { Alert: 0, Update: 1, Cancel: 2 };

/** What the alert's header says of every record in it. */
interface Header {
  identifier: string | undefined;
  source: string;
  msgType: MsgType;
  drill: boolean;
  /** `<sent>` in epoch ms; `undefined` when missing or unreadable. */
  sentMs: number | undefined;
  /** Identifiers of this source's alerts that `<references>` names, in order, each once. */
  referenced: string[];
  /** Every `<references>` triple as written, this source's or not. */
  references: string[];
}

function readHeader(alert: Node, options: IngestOptions): Header {
  const source = text(alert, 'sender') ?? options.defaultSource ?? 'cap';
  const rawType = text(alert, 'msgType')?.toLowerCase();
  const msgType = MSG_TYPES.find((t) => t.toLowerCase() === rawType) ?? 'Alert';
  const status = text(alert, 'status');
  const sent = text(alert, 'sent');
  const references = (text(alert, 'references') ?? '').split(/\s+/).filter((t) => t !== '');
  const referenced = new Set<string>();
  for (const triple of references) {
    const parts = triple.split(',');
    // CAP forbids commas and spaces in sender and identifier, so anything but three parts is no triple.
    if (parts.length !== 3) continue;
    const [sender, identifier] = parts;
    if (sender === source && identifier) referenced.add(identifier);
  }
  return {
    identifier: text(alert, 'identifier'),
    source,
    msgType,
    drill: status !== undefined && status.toLowerCase() !== 'actual',
    sentMs: sent === undefined ? undefined : instantMs(sent),
    referenced: [...referenced],
    references,
  };
}

/** The one record of a Cancel without `<info>`, an Ack or an Error. */
function noticeOf(alert: Node, header: Header, kind: ParsedNotice['kind']): ParsedBatch {
  const version = header.sentMs === undefined ? [] : kind === 'cancel' ? [header.sentMs, RANK.Cancel] : [header.sentMs];
  const notice: ParsedNotice = {
    index: 0,
    kind,
    source: header.source,
    externalId: header.identifier ?? contentId(alert),
    refers: header.referenced.flatMap((r) => [r, `${r}#*`]),
    version,
    note: text(alert, 'note') ?? '',
    ...(header.drill && { drill: true }),
  };
  return { shape: 'single', drafts: [], errors: [], notices: [notice] };
}

const languageOf = (info: Node): string => text(info, 'language') ?? 'en-US';

/** What two translations of one event share, but for the shapes' coordinates (compared in `groupInfos`). */
function contentKey(info: Node): string {
  const lower = (value: string | undefined) => value?.toLowerCase() ?? null;
  const instant = (name: string) => {
    const value = text(info, name);
    return value === undefined ? null : (instantMs(value) ?? value);
  };
  return JSON.stringify([
    texts(info, 'category').map((c) => c.toLowerCase()).sort(),
    lower(text(info, 'severity')),
    lower(text(info, 'urgency')),
    lower(text(info, 'certainty')),
    instant('onset'),
    instant('effective'),
    instant('expires'),
    children(info, 'area').map((area) => [
      countTexts(area, 'polygon'),
      countTexts(area, 'circle'),
      children(area, 'geocode').map((g) => JSON.stringify([text(g, 'valueName') ?? '', text(g, 'value') ?? ''])).sort(),
    ]),
  ]);
}

/**
 * Each area's polygon texts, then circle texts, with blanks collapsed to one space and none around
 * commas. Coordinates are kept as text rather than parsed: a polygon may hold 200,000 points, and
 * translations of one alert are nearly always written by one program, so equal texts settle it.
 */
const shapeTexts = (info: Node): string[][] =>
  children(info, 'area').map((area) => [...texts(area, 'polygon'), ...texts(area, 'circle')].map((raw) => tidy(raw).replace(/\s+/g, ' ')));

/**
 * Whether two tidied shape texts give the same numbers in the same places ("30.10,120" and
 * "30.1,120.0" do). Reads token by token and stops at the first difference, so telling two
 * different polygons apart costs little.
 */
function sameNumbers(a: string, b: string): boolean {
  const inA = /[^ ,]+|[ ,]/g;
  const inB = /[^ ,]+|[ ,]/g;
  for (;;) {
    const x = inA.exec(a)?.[0];
    const y = inB.exec(b)?.[0];
    if (x === undefined || y === undefined) return x === y;
    if (x !== y && !(DECIMAL.test(x) && DECIMAL.test(y) && Number(x) === Number(y))) return false;
  }
}

/** Positions (0-based) of the infos of each event, in document order; see the file header. */
function groupInfos(infos: Node[]): number[][] {
  if (infos.length === 1) return [[0]];
  const keys = infos.map(contentKey);
  const languages = infos.map((info) => languageOf(info).toLowerCase());
  const shapes = new Map<number, string[][]>();
  const shapesOf = (i: number): string[][] => shapes.get(i) ?? shapes.set(i, shapeTexts(infos[i] ?? {})).get(i) ?? [];
  // Equal keys already mean as many areas, and as many shapes of each kind in each.
  const sameShapes = (i: number, k: number) =>
    shapesOf(i).every((area, j) =>
      area.every((shape, n) => {
        const other = shapesOf(k)[j]?.[n] ?? '';
        return shape === other || sameNumbers(shape, other);
      }));
  const groups: number[][] = [];
  infos.forEach((_, i) => {
    const home = groups.find((g) => {
      const k = g[0] as number;
      return keys[k] === keys[i] && g.every((m) => languages[m] !== languages[i]) && sameShapes(k, i);
    });
    if (home) home.push(i);
    else groups.push([i]);
  });
  return groups;
}

/** What every area of one `<info>` shares, or the errors that spoil all of them. */
function readInfo(alert: Node, info: Node, at: string, options: IngestOptions) {
  const errors: ErrorDetail[] = [];
  const event = text(info, 'event') ?? '';
  const rawSeverity = text(info, 'severity');
  const severity = rawSeverity === undefined ? 'unknown' : SEVERITIES[rawSeverity.toLowerCase()];
  if (severity === undefined) {
    errors.push({ path: `${at}/severity`, message: `"${rawSeverity}" is not a CAP severity (Extreme, Severe, Moderate, Minor, Unknown)` });
  }
  let occurredAtMs = options.nowMs;
  const times: [string, string | undefined][] = [[`${at}/onset`, text(info, 'onset')], [`${at}/effective`, text(info, 'effective')], ['alert/sent', text(alert, 'sent')]];
  const [timePath, timeText] = times.find(([, value]) => value !== undefined) ?? ['', undefined];
  if (timeText !== undefined) {
    const ms = instantMs(timeText);
    if (ms === undefined) errors.push({ path: timePath, message: `"${timeText}" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00` });
    else occurredAtMs = ms;
  }
  const attributes: Record<string, unknown> = {};
  for (const [key, owner] of [['urgency', info], ['certainty', info], ['event', info], ['msgType', alert], ['status', alert], ['language', info]] as const) {
    const value = text(owner, key);
    if (value !== undefined) attributes[key] = value;
  }
  const shared = {
    category: categoryOf(texts(info, 'category'), event),
    severity: severity ?? 'unknown',
    occurredAtMs,
    title: text(info, 'headline') ?? event,
    description: text(info, 'description') ?? '',
    reporter: null,
  };
  return { errors, shared, attributes };
}

type Geocode = { valueName: string; value: string };
type Place = { geometry: IncidentGeometry | null; geocodes?: Geocode[]; attributes: Record<string, unknown> };

/** The area's geometry from all its shapes, else its geocodes, and the attributes it adds; or what is wrong. */
function readArea(area: Node, at: string): Place | ErrorDetail[] {
  const areaDesc = text(area, 'areaDesc');
  const attributes: Record<string, unknown> = areaDesc === undefined ? {} : { areaDesc };
  const errors: ErrorDetail[] = [];
  // One element of a kind is named plainly (`polygon`), as before areas could hold several.
  const pathOf = (name: string, k: number, of: number) => (of === 1 ? `${at}/${name}` : `${at}/${name}[${k + 1}]`);
  const rings: LonLat[][] = [];
  const polygonTexts = textsByPosition(area, 'polygon');
  polygonTexts.forEach((raw, k) => {
    if (raw === undefined) return;
    const ring = polygonRing(raw);
    if (typeof ring === 'string') errors.push({ path: pathOf('polygon', k, polygonTexts.length), message: ring });
    else rings.push(ring);
  });
  const circles: Circle[] = [];
  const circleTexts = textsByPosition(area, 'circle');
  circleTexts.forEach((raw, k) => {
    if (raw === undefined) return;
    const c = circle(raw);
    if (typeof c === 'string') errors.push({ path: pathOf('circle', k, circleTexts.length), message: c });
    else circles.push(c);
  });
  if (errors.length > 0) return errors;
  const [ring] = rings;
  const [only] = circles;
  if (rings.length + circles.length > 1) {
    const geometry: IncidentGeometry = { type: 'MultiPolygon', coordinates: [...rings.map((r) => [r]), ...circles.map((c) => [circleRing(c)])] };
    return { geometry, attributes: circles.length === 0 ? attributes : { ...attributes, circles } };
  }
  if (ring) return { geometry: { type: 'Polygon', coordinates: [ring] }, attributes };
  if (only) return { geometry: { type: 'Point', coordinates: only.center }, attributes: { ...attributes, radiusKm: only.radiusKm } };
  const geocodeNodes = children(area, 'geocode');
  if (geocodeNodes.length === 0) return [{ path: at, message: 'this area has no <polygon>, <circle> or <geocode>, so it cannot be placed on the map' }];
  // A pair missing its name or value names no place; the others still do.
  const geocodes = geocodeNodes.flatMap((g): Geocode[] => {
    const valueName = text(g, 'valueName');
    const value = text(g, 'value');
    return valueName === undefined || value === undefined ? [] : [{ valueName, value }];
  });
  if (geocodes.length === 0) return [{ path: geocodeNodes.length === 1 ? `${at}/geocode` : at, message: 'no <geocode> of this area has both a <valueName> and a <value>, so it cannot be placed on the map' }];
  return { geometry: null, geocodes, attributes };
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
function readAlert(xml: string): { alert: Node } | { fatal: ErrorDetail } {
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

/**
 * Reads a CAP 1.2 alert (with or without a namespace prefix); see the file header for what becomes
 * of each message type, language and area. Returns `ErrorDetail[]` when the payload as a whole is
 * unusable: malformed XML, a DOCTYPE, a root that is not `<alert>`, an Alert or Update without `<info>`.
 */
export function parseCapIncidents(xml: string, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  const read = readAlert(xml);
  if ('fatal' in read) return [read.fatal];
  const { alert } = read;
  const header = readHeader(alert, options);
  const { identifier, source, msgType } = header;
  const infos = children(alert, 'info');
  if (msgType === 'Ack' || msgType === 'Error') return noticeOf(alert, header, msgType === 'Ack' ? 'ack' : 'error');
  if (msgType === 'Cancel' && infos.length === 0) return noticeOf(alert, header, 'cancel');
  if (infos.length === 0) return [{ path: 'alert/info', message: 'the alert has no <info>, so it describes no incident' }];

  const groups = groupInfos(infos);
  const firstOf = (group: number[]): Node => infos[group[0] as number] ?? {};
  const single = groups.length === 1 && children(firstOf(groups[0] ?? []), 'area').length === 1;
  const version = header.sentMs === undefined ? [] : [header.sentMs, RANK[msgType]];
  const continues = msgType === 'Update' || msgType === 'Cancel';
  const headerAttributes = header.references.length > 0 ? { references: header.references } : {};
  const result: ParsedBatch = { shape: single ? 'single' : 'batch', drafts: [], errors: [] };
  let index = 0;
  groups.forEach((group, g) => {
    const i = group[0] as number;
    const info = firstOf(group);
    const at = `alert/info[${i + 1}]`;
    const { errors, shared, attributes } = readInfo(alert, info, at, options);
    const areas = children(info, 'area');
    if (areas.length === 0) {
      result.errors.push({ index: index++, details: [...errors, { path: at, message: 'this <info> has no <area>, so it cannot be placed on the map' }] });
    }
    areas.forEach((area, j) => {
      const placePath = `${at}/area[${j + 1}]`;
      const place = readArea(area, placePath);
      if (errors.length > 0 || Array.isArray(place)) {
        result.errors.push({ index: index++, details: Array.isArray(place) ? [...errors, ...place] : errors });
        return;
      }
      // Without an identifier, hash the alert header, this info and this area: distinct per pair.
      const externalId = identifier === undefined
        ? contentId({ header: { ...alert, info: undefined }, info: { ...info, area: undefined }, area })
        : single ? identifier : `${identifier}#${g + 1}.${j + 1}`;
      const texts = group.length === 1 ? {} : { texts: group.map((m) => translation(infos[m] ?? {}, j)) };
      const draft: IncidentDraft = {
        source,
        externalId,
        ...shared,
        geometry: place.geometry,
        attributes: { ...attributes, ...headerAttributes, ...place.attributes, ...texts },
        version,
      };
      if (header.drill) draft.drill = true;
      if (msgType === 'Cancel') draft.sourceStatus = 'cancelled';
      if (continues) draft.refers = header.referenced.flatMap((r) => (g === 0 && j === 0 ? [`${r}#${g + 1}.${j + 1}`, r] : [`${r}#${g + 1}.${j + 1}`]));
      if (identifier !== undefined) draft.aliases = single ? [`${identifier}#*`, `${identifier}#1.1`] : [`${identifier}#*`];
      if (place.geocodes) {
        draft.geocodes = place.geocodes;
        draft.placePath = placePath;
      }
      result.drafts.push({ index: index++, draft });
    });
  });
  return result;
}

/** One language's words for area `j` of an event. */
function translation(info: Node, j: number): { language: string; title: string; description: string; areaDesc?: string } {
  const areaDesc = text(children(info, 'area')[j] ?? {}, 'areaDesc');
  return {
    language: languageOf(info),
    title: text(info, 'headline') ?? text(info, 'event') ?? '',
    description: text(info, 'description') ?? '',
    ...(areaDesc === undefined ? {} : { areaDesc }),
  };
}
