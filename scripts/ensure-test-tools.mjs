/**
 * `pretest`: what `npm test` needs from the system, installed with apt when running as root;
 * otherwise the exact command is printed and the run stops.
 * - Debian's Chromium (never a downloaded browser) and a CJK font (without one, Chinese district
 *   names render as empty boxes) for the browser tests;
 * - PostgreSQL 15 (the server alone: the store uses no extension) for the API suite's second run on a real server (the tests start
 *   and stop a throwaway cluster themselves; nothing needs to be running).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { POSTGRES_PACKAGES, postgresInstalled } from './postgres-cluster.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function hasCjkFont() {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

const missing = [];
if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
if (!hasCjkFont()) missing.push('fonts-wqy-microhei');
if (!process.env.TEST_POSTGRES_URL && !postgresInstalled()) missing.push(...POSTGRES_PACKAGES);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  process.stdout.write(`Missing for the tests: ${missing.join(', ')}; installing with apt…\n`);
  try {
    execFileSync('bash', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
  } catch {
    process.stderr.write(`Installing failed. Run as root:\n  ${command}\n`);
    process.exit(1);
  }
  if (fs.existsSync(CHROMIUM) && (process.env.TEST_POSTGRES_URL || postgresInstalled())) process.exit(0);
  process.stderr.write(`Chromium (${CHROMIUM}) or PostgreSQL still missing after installing.\n`);
  process.exit(1);
}
process.stderr.write(
  `The tests need ${missing.join(', ')}. Install (as root):\n  sudo ${command}\n` +
    'or point CHROMIUM_PATH at an existing Chromium binary and TEST_POSTGRES_URL at a PostgreSQL server you run.\n',
);
process.exit(1);
