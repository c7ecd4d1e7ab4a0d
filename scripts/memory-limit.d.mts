/** Types of `memory-limit.mjs` for TypeScript callers (tests). */
export const DEFAULT_MEMORY_LIMIT_MB: number;
export function memoryLimitMb(env: Record<string, string | undefined>): number;
export function ceilingArgs(execArgv: readonly string[], scriptArgs: readonly string[], limitMb: number): string[] | null;
export function runUnderCeiling(
  args: readonly string[],
  limitMb: number,
  options?: { report?: (line: string) => void; env?: Record<string, string | undefined>; stdio?: 'inherit' | 'pipe' | 'ignore' },
): Promise<number>;
