/** Turns zod issues into messages that name the field, e.g. `lat: must be at most 90 (got 200)`. */
import type { z } from 'zod';
import type { ErrorDetail } from '../contract/common.ts';

export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  const joined = path.map(String).join('.');
  return [prefix, joined].filter((p) => p.length > 0).join('.');
}

export function describeIssues(error: z.ZodError, prefix = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        details.push({ path: issuePath([...issue.path, key], prefix), message: `unknown field "${key}"` });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest, not "invalid input" for the whole union.
      const best = [...issue.errors].sort((a, b) => deepest(b) - deepest(a))[0] ?? [];
      const nested = best.map((i) => ({ path: issuePath([...issue.path, ...i.path], prefix), message: i.message }));
      if (nested.length > 0) {
        details.push(...nested);
        continue;
      }
    }
    details.push({ path: issuePath(issue.path, prefix), message: issue.message });
  }
  return details;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

/** One line for a record's errors, as batch answers list them. */
export function oneLine(details: readonly ErrorDetail[]): string {
  return details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
}
