/** Types of `client-build.mjs` for TypeScript callers (tests, scripts). */
export interface EnsureClientBuildOptions {
  /** Repository root (the folder holding `vite.config.ts`). */
  root: string;
  /** Progress messages; a function or a logger with `info` (pino). */
  log?: ((message: string) => void) | { info(message: string): void };
}

/** Builds `dist/client` with Vite when it is missing or older than its sources; returns its path. */
export function ensureClientBuild(options: EnsureClientBuildOptions): Promise<string>;
