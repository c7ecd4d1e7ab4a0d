import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLIENT_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('how the application reaches the map', () => {
  // The map element carries `cityBrainMap` for automation (browser tests, a wall's monitoring);
  // features get the map from their page (MapView's onMap, map-context.ts), never from the document.
  it('never looks the map up in the document, outside the map view that sets it', () => {
    const offenders = sourceFiles(CLIENT_SRC)
      .filter((file) => path.relative(CLIENT_SRC, file) !== path.join('map', 'map-view.tsx'))
      .filter((file) => /cityBrainMap|querySelector\([^)]*data-testid="map"/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(CLIENT_SRC, file));
    expect(offenders).toEqual([]);
  });
});
