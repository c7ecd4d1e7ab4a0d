/**
 * CAP 1.2 ingest adapter (OASIS Common Alerting Protocol). Pure: XML text → incident drafts, notices
 * about earlier alerts, and per-record errors. Paths in errors are XPath-like element paths, 1-based
 * as in XPath, e.g. `alert/info[1]/area[2]/polygon`.
 *
 * A CAP alert is a living document: later alerts of the same sender update or cancel it, so each
 * draft says which earlier incidents it continues (`refers`), by which names later alerts may reach
 * it (`aliases`), and how new it is (`version`); the store matches them within one source.
 *
 * Records. The `<info>` blocks that tell one event in several languages form a group (cap-info.ts); each
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
 * The parts: cap-document.ts reads the XML, cap-info.ts the `<info>` blocks and their languages
 * (with the category table), cap-area.ts the areas' geometry.
 */
import type { ErrorDetail } from '../contract/common.ts';
import { contentId, type IncidentDraft } from '../domain/incidents/draft.ts';
import { readArea } from './cap-area.ts';
import { children, instantMs, readAlert, text, type Node } from './cap-document.ts';
import { groupInfos, readInfo, translation } from './cap-info.ts';
import type { IngestOptions, ParsedBatch, ParsedNotice } from './json.ts';

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

/**
 * Reads a CAP 1.2 alert (with or without a namespace prefix); see the file headers (this one,
 * cap-info.ts, cap-area.ts) for what becomes of each message type, language and area. Returns
 * `ErrorDetail[]` when the payload as a whole is unusable: malformed XML, a DOCTYPE, a root that is
 * not `<alert>`, an Alert or Update without `<info>`.
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
