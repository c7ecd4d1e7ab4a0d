/**
 * The incident list as a spreadsheet: RFC 4180 quoting, a UTF-8 BOM so Excel reads Chinese
 * correctly, and cells that would start a formula (= + - @, tab, CR) prefixed with an apostrophe
 * so a hostile title cannot run in the planner's spreadsheet.
 */
import type { Incident } from '../contract/incidents.ts';

const COLUMNS = ['id', 'seq', 'source', 'externalId', 'category', 'severity', 'status', 'regionCode', 'lon', 'lat', 'occurredAt', 'reportedAt', 'title', 'description', 'reporterName', 'reporterPhone', 'drill'] as const;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Incidents already masked for the caller's role. */
export function incidentsCsv(incidents: readonly Incident[]): string {
  const lines = [COLUMNS.join(',')];
  for (const i of incidents) {
    const [lon, lat] = i.geometry.type === 'Point' ? i.geometry.coordinates : [null, null];
    const row: Record<(typeof COLUMNS)[number], string | number | null | undefined> = {
      id: i.id,
      seq: i.seq,
      source: i.source,
      externalId: i.externalId,
      category: i.category,
      severity: i.severity,
      status: i.status,
      regionCode: i.regionCode,
      lon,
      lat,
      occurredAt: i.occurredAt,
      reportedAt: i.reportedAt,
      title: i.title,
      description: i.description,
      reporterName: i.reporter?.name,
      reporterPhone: i.reporter?.phone,
      drill: i.drill ? 'true' : 'false',
    };
    lines.push(COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
