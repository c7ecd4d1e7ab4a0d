/**
 * Golden fixtures: every `fixtures/in/<name>.<ext>` goes through its adapter and must equal
 * `fixtures/out/<name>.json`, written by hand (or by an independent reader) and reviewed as such.
 * `REGEN=1 npx vitest run server/ingest/golden.test.ts` rewrites the outputs instead, for a
 * deliberate change whose diff is then reviewed line by line.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import { INTAKE_FORMATS, parseText, type IntakeFormatEntry } from './formats.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';

const IN = fileURLToPath(new URL('./fixtures/in/', import.meta.url));
const OUT = fileURLToPath(new URL('./fixtures/out/', import.meta.url));
/** Receipt time of every fixture: records without a time of their own occur at it. */
const OPTIONS: IngestOptions = { nowMs: Date.parse('2026-11-23T00:00:00Z') };

/**
 * The intake format a fixture is written in: the one its name starts with (`open311-`, `csv-`,
 * `cap-`; the longest such name wins), else the first that takes its extension (`usgs-sample.json`
 * is plain JSON).
 */
function formatOfFixture(name: string): IntakeFormatEntry {
  const byPrefix = INTAKE_FORMATS.filter((f) => name.startsWith(`${f.format}-`)).sort((a, b) => b.format.length - a.format.length)[0];
  const byExtension = INTAKE_FORMATS.find((f) => name.endsWith(`.${f.extension}`));
  const format = byPrefix ?? byExtension;
  if (!format) throw new Error(`no intake format for the fixture ${name}: name it <format>-… or give it a known extension`);
  return format;
}

function run(name: string, text: string): ParsedBatch | ErrorDetail[] {
  return parseText(formatOfFixture(name), text, OPTIONS);
}

/** What a reviewer reads: times as ISO 8601 UTC rather than epoch milliseconds. */
function readable(result: ParsedBatch | ErrorDetail[]): unknown {
  if (Array.isArray(result)) return { fatal: result };
  return {
    shape: result.shape,
    drafts: result.drafts.map(({ index, draft: { occurredAtMs, ...rest } }) => {
      const { source, externalId, category, severity, geometry, ...more } = rest;
      return { index, draft: { source, externalId, category, severity, geometry, occurredAt: new Date(occurredAtMs).toISOString(), ...more } };
    }),
    errors: result.errors,
  };
}

const names = readdirSync(IN).filter((n) => !n.startsWith('.')).sort();

describe('ingest golden fixtures', () => {
  it('has fixtures to check', () => expect(names.length).toBeGreaterThan(0));

  for (const name of names) {
    it(name, () => {
      const actual = readable(run(name, readFileSync(IN + name, 'utf8')));
      const outFile = `${OUT}${name.replace(/\.[^.]+$/, '')}.json`;
      if (process.env.REGEN === '1') {
        writeFileSync(outFile, `${JSON.stringify(actual, null, 2)}\n`);
        return;
      }
      expect(actual).toEqual(JSON.parse(readFileSync(outFile, 'utf8')));
    });
  }
});
