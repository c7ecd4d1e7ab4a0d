/** Launching Debian's Chromium (never `playwright install`: no internet here); browser tests and the bench share it. */
import { chromium, type Browser } from 'playwright-core';

/** Headless Debian Chromium with WebGL drawn in software (SwiftShader through ANGLE): CI machines have no GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchChromiumOptions {
  /** Variables added to this process's environment for the browser, e.g. `FONTCONFIG_FILE` to choose the fonts it sees. */
  env?: Record<string, string>;
}

export const launchChromium = (options: LaunchChromiumOptions = {}): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ...(options.env && { env: { ...process.env, ...options.env } }) });
