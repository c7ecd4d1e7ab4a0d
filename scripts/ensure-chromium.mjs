/**
 * `pretest`: the browser test needs Debian's Chromium (never a downloaded browser). Installs it
 * with apt when running as root; otherwise prints the exact command and stops.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (fs.existsSync(CHROMIUM)) process.exit(0);

const command = 'apt-get update && apt-get install -y --no-install-recommends chromium';
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  process.stdout.write(`Chromium is missing at ${CHROMIUM}; installing Debian's chromium package…\n`);
  try {
    execFileSync('bash', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
  } catch {
    process.stderr.write(`Installing Chromium failed. Run as root:\n  ${command}\n`);
    process.exit(1);
  }
  if (fs.existsSync(CHROMIUM)) process.exit(0);
  process.stderr.write(`Chromium still not found at ${CHROMIUM} after installing.\n`);
  process.exit(1);
}
process.stderr.write(
  `The browser test needs Chromium at ${CHROMIUM}. Install it (as root):\n  sudo ${command}\n` +
    'or point CHROMIUM_PATH at an existing Chromium binary.\n',
);
process.exit(1);
