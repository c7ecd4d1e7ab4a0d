/**
 * CAP alerts for the CAP adapter's tests: an alert around given <info> blocks (its header replaceable
 * element by element), info and area snippets, and the adapter's answer read as a batch or as a
 * whole-payload refusal.
 */
import type { ErrorDetail } from '../../server/contract/common.ts';
import { parseCapIncidents } from '../../server/ingest/cap.ts';
import type { IngestOptions, ParsedBatch } from '../../server/ingest/json.ts';

export const NOW = Date.parse('2026-11-23T00:00:00Z');
export const OPTIONS: IngestOptions = { nowMs: NOW };
export const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

/** A CAP alert around the given `<info>` blocks; header elements can be replaced or dropped. */
export function alert(infos: string, header = '<identifier>A-1</identifier><sender>s@example</sender><sent>2026-11-22T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${NS}">${header}${infos}</alert>`;
}
export const info = (areas: string, extra = '<category>Fire</category><event>火灾</event><severity>Severe</severity>') => `<info>${extra}${areas}</info>`;
export const circleArea = (text = '30.25,120.15 2') => `<area><areaDesc>d</areaDesc><circle>${text}</circle></area>`;
export const polygonArea = (text: string) => `<area><polygon>${text}</polygon></area>`;

export function batch(xml: string, options: IngestOptions = OPTIONS): ParsedBatch {
  const out = parseCapIncidents(xml, options);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
export function fatal(xml: string): ErrorDetail[] {
  const out = parseCapIncidents(xml, OPTIONS);
  if (!Array.isArray(out)) throw new Error(`expected a whole-payload error, got ${JSON.stringify(out)}`);
  return out;
}
export const first = (xml: string, options?: IngestOptions) => batch(xml, options).drafts[0]?.draft;

/** The header of `alert()` with some elements replaced: identifier, sender, sent, status, msgType, references, note. */
export function header(fields: { identifier?: string; sender?: string; sent?: string; status?: string; msgType?: string; references?: string; note?: string }): string {
  const all = { identifier: 'A-1', sender: 's@example', sent: '2026-11-22T08:00:00+08:00', status: 'Actual', msgType: 'Alert', ...fields };
  return Object.entries(all).map(([name, value]) => `<${name}>${value}</${name}>`).join('');
}
export const notices = (xml: string) => batch(xml).notices;
