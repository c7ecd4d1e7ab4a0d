/** Personal data of reporters is masked for roles that may not read it (DOMAIN §8). */
import type { Role } from '../../contract/auth.ts';
import type { Incident, Reporter } from '../../contract/incidents.ts';

/** Roles whose work needs the reporter's real name and number (calling back, dispatching). */
export const PERSONAL_DATA_ROLES: ReadonlySet<Role> = new Set<Role>(['responder', 'admin']);

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

/** The incident as `role` may see it. */
export function incidentForRole(incident: Incident, role: Role): Incident {
  if (PERSONAL_DATA_ROLES.has(role) || !incident.reporter) return incident;
  return { ...incident, reporter: maskReporter(incident.reporter) };
}
