/**
 * What `npm install` on a fresh clone reads from this project: the Node versions it says it
 * supports, which every locked package must accept (or npm warns EBADENGINE), the README that
 * says the same, and the install scripts it has reviewed (npm 11 warns about the others, npm 12
 * skips them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string }; allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; hasInstallScript?: boolean; optional?: boolean }>;
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

type Version = [number, number, number];

function parse(text: string): Version {
  const [a = 0, b = 0, c = 0] = text.replace(/^v/, '').split('.').map((p) => (p === 'x' || p === '*' ? 0 : Number(p)));
  return [a, b, c];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The comparator forms npm packages use in `engines.node`: `>=`, `>`, `<`, `<=`, `^`, `x.*`, `*`, exact. */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^]+)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const m = /^(>=|<=|>|<|\^|=)?(.*)$/.exec(comparator)!;
        const op = m[1] ?? '=';
        const target = m[2]!;
        if (target === '*' || target === 'x') return true;
        const v = parse(target);
        // `8.*`, `10.x` or `10`: only the parts given must match.
        const given = target.split('.').filter((p) => p !== '*' && p !== 'x').length;
        switch (op) {
          case '>=':
            return compare(version, v) >= 0;
          case '>':
            return compare(version, v) > 0;
          case '<':
            return compare(version, v) < 0;
          case '<=':
            return compare(version, v) <= 0;
          case '^':
            return version[0] === v[0] && compare(version, v) >= 0;
          default:
            return version.slice(0, given).every((part, i) => part === v[i]);
        }
      }),
  );
}

/** The lowest version of each alternative of our own range: the oldest Node we promise to run on. */
const lowestSupported = pkg.engines.node.split('||').map((alt) => parse(alt.trim().replace(/^[>=^~]+/, '')));

describe('the Node versions this project supports', () => {
  it('reads ranges as npm does (hand-checked cases)', () => {
    expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies([20, 18, 9], '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies([21, 0, 0], '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies([20, 19, 0], '>= 22')).toBe(false);
    expect(satisfies([20, 19, 0], '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies([20, 19, 0], '^10 || ^12 || >=14')).toBe(true);
    expect(satisfies([20, 19, 0], '>=12 <20')).toBe(false);
  });

  it('every locked package accepts the oldest version of each supported line', () => {
    expect(lowestSupported.length).toBeGreaterThan(0);
    const refusing: string[] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      if (!range || name === '') continue;
      for (const v of lowestSupported) if (!satisfies(v, range)) refusing.push(`${name} wants node ${range}, not ${v.join('.')}`);
    }
    expect(refusing).toEqual([]);
  });

  it('the README names the same versions as engines', () => {
    const stated = lowestSupported.map((v) => `${v.join('.')}+`);
    for (const s of stated) expect(readme).toContain(s);
  });
});

describe('install scripts', () => {
  it('every locked package with an install script has been reviewed in allowScripts', () => {
    const reviewed = new Set(Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1')));
    const unreviewed = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''))
      .filter((name) => !reviewed.has(name));
    expect(unreviewed).toEqual([]);
  });
});
