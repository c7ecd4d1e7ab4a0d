/**
 * Raw scan of a CSV body before `parseCsvIncidents` splits it: counts rows, columns and row
 * lengths with the reader's own quoting rules (RFC 4180, quotes only at the start of a value) and
 * stops at the first excess, so a million-column row or a million-row file is refused after one
 * pass over the text instead of after building millions of cells.
 */
import { isBlank, kb, longerThan, overLimit, type IntakeLimits, type LimitProblem } from './limits.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The first limit the CSV text breaks, or `null`. Rows the reader skips (every value blank) are not
 * counted as records, but their columns and length are: the reader splits them all the same.
 */
export function scanCsv(text: string, limits: IntakeLimits): LimitProblem | null {
  const n = text.length;
  let rowStart = 0;
  let rowLine = 1;
  let line = 1;
  let cells = 1;
  let nonBlank = false;
  let atValueStart = true;
  let inQuotes = false;
  let headerSeen = false;
  let records = 0;

  const tooLong = (end: number): LimitProblem | null =>
    longerThan(text, rowStart, end, limits.maxRecordBytes)
      ? overLimit('maxRecordBytes', limits, `line ${rowLine}`, `line ${rowLine} is longer than ${kb(limits.maxRecordBytes)}`, 'shorten its values')
      : null;

  /** Closes the row `text[rowStart, end)` (its line break not counted); a problem if it breaks a limit. */
  const endRow = (end: number): LimitProblem | null => {
    const long = tooLong(end);
    if (long) return long;
    if (nonBlank) {
      if (!headerSeen) headerSeen = true;
      else if (++records > limits.maxRecords) {
        return overLimit('maxRecords', limits, `line ${rowLine}`, `the CSV has more than ${limits.maxRecords.toLocaleString('en')} rows of incidents`, 'split the file into several requests');
      }
    }
    return null;
  };

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // A row of one enormous value has no delimiter to stop at: refuse it as soon as it is too long.
    if (i - rowStart > limits.maxRecordBytes) return tooLong(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          i++;
          nonBlank = true;
        } else inQuotes = false;
      } else {
        if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
        if (!nonBlank && !isBlank(c)) nonBlank = true;
      }
      continue;
    }
    if (c === COMMA) {
      if (++cells > limits.maxFields) {
        return overLimit('maxFields', limits, `line ${rowLine}`, `line ${rowLine} has more than ${limits.maxFields} columns`, 'send only the columns an incident needs');
      }
      atValueStart = true;
      continue;
    }
    if (c === CR || c === LF) {
      const problem = endRow(i);
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      if (problem) return problem;
      line++;
      rowStart = i + 1;
      rowLine = line;
      cells = 1;
      nonBlank = false;
      atValueStart = true;
      continue;
    }
    if (c === QUOTE && atValueStart) {
      inQuotes = true;
      atValueStart = false;
      continue;
    }
    atValueStart = false;
    if (!nonBlank && !isBlank(c)) nonBlank = true;
  }
  return rowStart < n ? endRow(n) : null;
}
