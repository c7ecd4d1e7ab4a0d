import { defineConfig } from 'vitest/config';

// Three groups. Unit and API tests run two files at a time on PGlite; then the API suite again on a
// real PostgreSQL server (a throwaway cluster the group's setup starts); then the Chromium tests one
// file at a time, alone: software WebGL (SwiftShader) on a 2-core machine starves when three
// browsers render at once, and a starved browser fails on a timeout rather than on a real defect.
const BROWSER_TESTS = 'test/browser/**/*.test.ts';
const API_TESTS = 'test/api/**/*.test.ts';
/**
 * The fault and load tests run short in `npm test` and long in `npm run test:chaos`. CI runs both
 * commands back to back, so it sets FAULTS_IN_CHAOS_RUN=1 and each of these files runs once there,
 * at full strength (every one of them runs in the chaos run: none is fast-only).
 */
const FAULT_TESTS = ['test/faults/**', 'test/load/**'];
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
          name: 'unit-api',
          include: ['server/**/*.test.ts', 'client/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [BROWSER_TESTS, 'test/cluster/**', '**/node_modules/**', ...(faultsLater ? FAULT_TESTS : [])],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'api-postgres',
          // test/cluster: several server nodes on one PostgreSQL (needs the cluster; not run on PGlite).
          include: [API_TESTS, 'test/cluster/**/*.test.ts'],
          globalSetup: ['./test/support/run-setup.ts', './test/support/postgres-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [BROWSER_TESTS],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
