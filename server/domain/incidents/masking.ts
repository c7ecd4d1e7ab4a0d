/** Personal data of reporters is masked for roles that may not read it (docs/domain.md §10.2). */
import { rolesWith, type Role } from '../../contract/auth.ts';
import type { Incident, Reporter } from '../../contract/incidents.ts';

/** Roles whose work needs the reporter's real name and number (calling back, dispatching): the table's `personal-data:read`. */
export const PERSONAL_DATA_ROLES: ReadonlySet<Role> = new Set<Role>(rolesWith('personal-data:read'));

/**
 * `13812345678` → `138****5678`: keeps enough to tell two callers apart, not to call them. Numbers
 * shorter than a mobile number keep only their last third (`87654321` → `******21`), and those of
 * 4 or fewer characters nothing, so a short landline or extension is never shown nearly whole.
 */
export function maskPhone(phone: string): string {
  const chars = [...phone];
  const n = chars.length;
  const keepHead = n >= 11 ? 3 : 0;
  const keepTail = n >= 11 ? 4 : n <= 4 ? 0 : Math.floor(n / 3);
  return chars.slice(0, keepHead).join('') + '*'.repeat(n - keepHead - keepTail) + chars.slice(n - keepTail).join('');
}

/** `张三丰` → `张**`: the family name stays, as on Chinese public notices. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskReporter(reporter: Reporter | null): Reporter | null {
  if (!reporter) return reporter;
  return {
    ...(reporter.name !== undefined && { name: maskName(reporter.name) }),
    ...(reporter.phone !== undefined && { phone: maskPhone(reporter.phone) }),
  };
}

/**
 * Numbers that identify a person inside free text: 18-character 居民身份证号 (last may be X) and
 * the old 15-digit form, any run of 7+ digits (mobiles, landlines, account numbers), and phone
 * numbers written in groups (`138 1234 5678`, `0571-87654321`, `+86 138-1234-5678`). Dates
 * (`2026-11-23`) and short numbers (a house number, "3 incidents") are left alone.
 */
const PERSONAL_NUMBER =
  /(?<!\d)(?:\d{17}[\dXx]|(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}|0\d{2,3}[ -]\d{7,8}|\d{7,})(?![\dXx])/g;

/**
 * Masks the digits of one such number, keeping its separators: an ID number keeps its 6-digit
 * region prefix and last 4 (`330106********123X`), a mobile its first 3 and last 4 like
 * {@link maskPhone}, anything shorter only its last third.
 */
function maskNumber(whole: string): string {
  // The country code is not part of the number: "+86 138…" keeps 138 like a bare mobile.
  const candidate = /^\+?86[ -]?(?=1[3-9])/.exec(whole)?.[0] ?? '';
  const prefix = candidate && whole.slice(candidate.length).replace(/\D/g, '').length === 11 ? candidate : '';
  const match = whole.slice(prefix.length);
  const digits = [...match].filter((c) => /[\dXx]/.test(c)).length;
  const keepHead = digits >= 15 ? 6 : digits >= 11 ? 3 : 0;
  const keepTail = digits >= 11 ? 4 : Math.floor(digits / 3);
  let seen = 0;
  const masked = [...match]
    .map((c) => {
      if (!/[\dXx]/.test(c)) return c;
      const i = seen++;
      return i < keepHead || i >= digits - keepTail ? c : '*';
    })
    .join('');
  return prefix + masked;
}

/** Free text (an appeal's title or description, a responder's note) with personal numbers masked. */
export function maskNumbersInText(text: string): string {
  return text.replace(PERSONAL_NUMBER, maskNumber);
}

/**
 * The incident as `role` may see it: the reporter masked, and numbers that identify a person masked
 * inside its free text (12345 callers often dictate their number into the appeal itself). An
 * `incident:updated` payload's change note is free text too.
 */
export function incidentForRole<T extends Incident & { change?: { note?: string | null } }>(incident: T, role: Role): T {
  if (PERSONAL_DATA_ROLES.has(role)) return incident;
  const masked: T = {
    ...incident,
    ...(typeof incident.title === 'string' && { title: maskNumbersInText(incident.title) }),
    ...(typeof incident.description === 'string' && { description: maskNumbersInText(incident.description) }),
    ...(incident.reporter && { reporter: maskReporter(incident.reporter) }),
  };
  if (incident.change && typeof incident.change.note === 'string') masked.change = { ...incident.change, note: maskNumbersInText(incident.change.note) };
  return masked;
}
