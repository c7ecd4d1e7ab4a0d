/**
 * The CSV raw scan against files whose rows, columns and row lengths are known by construction:
 * the generator builds cells first (commas, quotes, line breaks, blank rows, CJK), writes them as
 * CSV, and keeps the counts it wrote; the scan must find the same excess, or none at the counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.ts';
import { scanCsv } from './scan-csv.ts';

const limits = (over: Partial<IntakeLimits>): IntakeLimits => ({ ...DEFAULT_INTAKE_LIMITS, ...over });

describe('scanCsv by hand', () => {
  it('counts a header and data rows; blank rows are not records', () => {
    const text = 'lat,lon\n30,120\n\n , \n31,121\r\n32,122';
    expect(scanCsv(text, limits({ maxRecords: 3 }))).toBeNull();
    expect(scanCsv(text, limits({ maxRecords: 2 }))?.message).toContain('INTAKE_MAX_RECORDS = 2');
  });

  it('counts columns outside quotes only, and names the line', () => {
    const text = 'lat,lon,title\n30,120,"a, b, c"\n30,120,x,y';
    expect(scanCsv(text, limits({ maxFields: 4 }))).toBeNull();
    const problem = scanCsv(text, limits({ maxFields: 3 }));
    expect(problem).toMatchObject({ kind: 'too_large', path: 'line 3' });
    expect(problem?.message).toBe('line 3 has more than 3 columns (limit INTAKE_MAX_FIELDS = 3); send only the columns an incident needs');
  });

  it('a quoted line break stays in its row; the line numbers follow the file', () => {
    const text = 'lat,lon,d\n30,120,"one\ntwo"\n30,120,' + 'x'.repeat(50);
    expect(scanCsv(text, limits({ maxRecordBytes: 60 }))).toBeNull();
    expect(scanCsv(text, limits({ maxRecordBytes: 40 }))?.path).toBe('line 4');
  });

  it('measures rows in UTF-8 bytes: 10 CJK characters are 30 bytes', () => {
    const text = `lat,lon,t\n30,120,${'火'.repeat(10)}`;
    // The data row is "30,120," (7 bytes) + 30 bytes.
    expect(scanCsv(text, limits({ maxRecordBytes: 37 }))).toBeNull();
    expect(scanCsv(text, limits({ maxRecordBytes: 36 }))?.path).toBe('line 2');
  });

  it('refuses a single enormous value without reaching its end', () => {
    const text = `lat,lon,t\n30,120,"${'a'.repeat(200_000)}`; // never closed, too
    expect(scanCsv(text, limits({ maxRecordBytes: 1024 }))?.message).toContain('INTAKE_MAX_RECORD_KB = 1');
  });

  it('a quote inside an unquoted value is text, not the start of a quoted value', () => {
    const text = 'lat,lon,t\n30,120,5" pipe,x';
    expect(scanCsv(text, limits({ maxFields: 4 }))).toBeNull();
    expect(scanCsv(text, limits({ maxFields: 3 }))).not.toBeNull();
  });
});

/** A cell as written: plain, or quoted because it holds a comma, a quote or a line break. */
const cell = fc.oneof(
  fc.constantFrom('', ' ', '30.1', '120.2', 'fire', '火灾', '石祥路', 'a"b'),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('a,b', 'line\nbreak', 'say ""hi""', '\r\n', ',,,'),
);
const write = (value: string) => (/[",\r\n]/.test(value) || value.startsWith('"') ? `"${value.replace(/"/g, '""')}"` : value);
const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 40 });

describe('scanCsv against files of known shape', () => {
  it('finds no excess at the counts written, and each limit one below them', () => {
    fc.assert(
      fc.property(rows, fc.constantFrom('\n', '\r\n'), (table, eol) => {
        const lines = table.map((cells) => cells.map(write).join(','));
        const text = lines.join(eol);
        const columns = Math.max(...table.map((cells) => cells.length));
        const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
        // Rows whose every value is blank are skipped by the reader; the first other row is the header.
        const dataRows = Math.max(0, table.filter((cells) => cells.some((c) => /\S/.test(c))).length - 1);
        const exact = limits({ maxFields: columns, maxRecordBytes: Math.max(1, longest), maxRecords: Math.max(1, dataRows) });
        expect(scanCsv(text, exact)).toBeNull();
        if (columns > 1) expect(scanCsv(text, { ...exact, maxFields: columns - 1 })?.message).toContain('INTAKE_MAX_FIELDS');
        if (longest > 1) expect(scanCsv(text, { ...exact, maxRecordBytes: longest - 1 })?.message).toContain('INTAKE_MAX_RECORD_KB');
        if (dataRows > 1) expect(scanCsv(text, { ...exact, maxRecords: dataRows - 1 })?.message).toContain('INTAKE_MAX_RECORDS');
      }),
      { numRuns: 300, seed: 2026 },
    );
  });
});
