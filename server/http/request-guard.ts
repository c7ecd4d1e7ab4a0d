/**
 * Refuses requests whose address cannot mean anything before any route reads it: a path that is
 * not valid percent-encoded UTF-8 (`/p/%ZZ`), and control characters (`%00`) in the path or the
 * query. PostgreSQL cannot store U+0000 in text, and no land code, id or search term contains a
 * control character, so these are the caller's mistake (400), never the server's (500).
 */
import type { RequestHandler } from 'express';
import { ApiError } from './errors.ts';

// C0 controls and DEL; tab and line breaks included: none belongs in an id, a code or a search term.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The first character of `text` that is a control character, as `U+0000`, or null. */
function controlIn(text: string): string | null {
  const match = CONTROL.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** A shortened, printable form of what the caller sent, for the error message. */
const shown = (raw: string): string => JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);

/** Query values as express parsed them (strings, arrays of strings, or nested objects from bracket keys). */
function* queryTexts(value: unknown, key: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const item of value) yield* queryTexts(item, key);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* queryTexts(v, `${key}[${k}]`);
}

export const refuseMalformedRequests: RequestHandler = (req, _res, next) => {
  const rawPath = req.originalUrl.split('?')[0] ?? '';
  for (const segment of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      const message = `the address is not valid: ${shown(segment)} is not percent-encoded UTF-8 (write % as %25)`;
      next(new ApiError('invalid_path', message, [{ path: 'path', message }]));
      return;
    }
    const control = controlIn(decoded);
    if (control) {
      const message = `the address is not valid: ${shown(segment)} holds the control character ${control}`;
      next(new ApiError('invalid_path', message, [{ path: 'path', message }]));
      return;
    }
  }
  for (const [key, value] of Object.entries(req.query)) {
    for (const [name, text] of [[key, key] as [string, string], ...queryTexts(value, key)]) {
      const control = controlIn(text);
      if (!control) continue;
      const message = `the query parameter ${shown(name)} holds the control character ${control}; remove it`;
      next(new ApiError('invalid_query', message, [{ path: name, message }]));
      return;
    }
  }
  next();
};
