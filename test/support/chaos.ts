/**
 * Fault tests come in two sizes: a fast variant inside `npm test`, and the long one that
 * `npm run test:chaos` runs (`CHAOS=full`). Each test scales its own counts with this switch.
 */
export const CHAOS_FULL = process.env.CHAOS === 'full';

/** `fast` inside `npm test`, `full` under `npm run test:chaos`. */
export const chaosCount = (fast: number, full: number): number => (CHAOS_FULL ? full : fast);
