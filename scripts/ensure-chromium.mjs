/**
 * `pretest`: the browser test needs Debian's Chromium (never a downloaded browser) and a CJK font
 * (without one, Chinese district names render as empty boxes). Installs both with apt when
 * running as root; otherwise prints the exact command and stops.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-wqy-microhei'];

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
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`;
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  process.stdout.write(`Missing for the browser test: ${missing.join(', ')}; installing with apt…\n`);
  try {
    execFileSync('bash', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
  } catch {
    process.stderr.write(`Installing failed. Run as root:\n  ${command}\n`);
    process.exit(1);
  }
  if (fs.existsSync(CHROMIUM)) process.exit(0);
  process.stderr.write(`Chromium still not found at ${CHROMIUM} after installing.\n`);
  process.exit(1);
}
process.stderr.write(
  `The browser test needs ${missing.join(' and ')}. Install (as root):\n  sudo ${command}\n` +
    'or point CHROMIUM_PATH at an existing Chromium binary.\n',
);
process.exit(1);
