import { defineConfig } from 'vitest/config';

// Five groups, one after the other. Unit tests (the code's own folders, no server) run two files
// at a time in workers that keep their modules between files (no isolation: a fresh module graph
// per file cost more than the tests themselves); then the API tests on PGlite, two at a time, each
// file in a fresh worker; then the API files that touch the store again on a real PostgreSQL
// server (a throwaway cluster the group's setup starts); then the Chromium tests two files at a
// time: one browser drawing WebGL in software (SwiftShader) keeps about 1.3 of 2 cores busy, and
// two keep both busy (1.98 measured), which gains less than it seems: the work is the CPU's; then, one file at a time and alone, the Chromium tests that time the
// page itself (first connection within 2.5 s of the first paint, the ticker within 3 s, the stale
// banner within 20 s, a pulse, frame costs while panning): beside another browser they would
// measure the neighbour.
const BROWSER_TESTS = 'test/browser/**/*.test.ts';
/** Tests beside the code and of the repository's rules: none starts a server process or a browser. */
const UNIT_TESTS = ['server/**/*.test.ts', 'client/**/*.test.ts', 'scripts/**/*.test.ts', 'test/architecture/**/*.test.ts', 'test/support/**/*.test.ts'];
const TIMED_BROWSER_TESTS = ['first-connect', 'wall', 'store-outage', 'parcels-map', 'risk'].map((name) => `test/browser/${name}.test.ts`);
const API_TESTS = 'test/api/**/*.test.ts';
/**
 * The fault and load tests run short in `npm test` and long in `npm run test:chaos`. CI runs both
 * commands back to back, so it sets FAULTS_IN_CHAOS_RUN=1 and each of these files runs once there,
 * at full strength (every one of them runs in the chaos run: none is fast-only).
 */
const FAULT_TESTS = ['test/faults/**', 'test/load/**'];
/**
 * API files that run on PGlite only: what they test happens before or after the store (request
 * limits and parsing of the intake formats, fuzzed and malformed bodies, compression, redirects,
 * role checks, masking of what is read, time formatting, socket limits) or on inputs held in
 * memory (equity figures), so a second run on PostgreSQL would repeat the same code. Everything
 * that writes, locks, replays or queries space in SQL runs on both; a new API file runs on both
 * unless it is added here.
 */
const PGLITE_ONLY_API_TESTS = [
  'formats', 'limits', 'fuzz', 'bad-input', 'compression', 'redirects', 'qr-host', 'socket-limits',
  'auth-matrix', 'privacy', 'masking', 'parcel-page-privacy', 'time-zone',
  'equity-demo', 'equity-summary', 'equity-silent', 'equity-worker',
].map((name) => `test/api/${name}.test.ts`);
const faultsLater = process.env.FAULTS_IN_CHAOS_RUN === '1';

export default defineConfig({
  test: {
    environment: 'node',
    // PGlite creates a cluster in ~8 s and software WebGL is slow: generous, not infinite.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Names the run, so workers share its demo store (test/support/store-templates.ts).
    globalSetup: ['./test/support/run-setup.ts'],
    reporters: ['default', './scripts/test-summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_TESTS,
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-api',
          include: ['test/**/*.test.ts'],
          exclude: [BROWSER_TESTS, 'test/cluster/**', ...UNIT_TESTS, '**/node_modules/**', ...(faultsLater ? FAULT_TESTS : [])],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'api-postgres',
          // test/cluster: several server nodes on one PostgreSQL (needs the cluster; not run on PGlite).
          include: [API_TESTS, 'test/cluster/**/*.test.ts'],
          exclude: [...PGLITE_ONLY_API_TESTS, '**/node_modules/**'],
          globalSetup: ['./test/support/run-setup.ts', './test/support/postgres-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          exclude: [...TIMED_BROWSER_TESTS, '**/node_modules/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 3 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser-timed',
          include: TIMED_BROWSER_TESTS,
          maxWorkers: 1,
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
