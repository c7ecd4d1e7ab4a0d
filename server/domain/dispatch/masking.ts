/** Free text on assignments (a disposition, a step's note) may quote a caller's number: masked like an incident's notes. */
import type { Role } from '../../contract/auth.ts';
import { maskNumbersInText, PERSONAL_DATA_ROLES } from '../incidents/masking.ts';

/** The assignment (or its event, or a history step) as `role` may see it: personal numbers in its free text masked. */
export function assignmentForRole<T extends { disposition: string | null; change?: { note: string | null } }>(assignment: T, role: Role): T {
  if (PERSONAL_DATA_ROLES.has(role)) return assignment;
  const masked: T = { ...assignment, disposition: assignment.disposition === null ? null : maskNumbersInText(assignment.disposition) };
  if (assignment.change && assignment.change.note !== null) masked.change = { ...assignment.change, note: maskNumbersInText(assignment.change.note) };
  return masked;
}
