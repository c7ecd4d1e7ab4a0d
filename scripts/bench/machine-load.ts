/** How busy the machine was: timing cases print it, since other processes on 2 cores skew any figure. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** e.g. `load average 0.42 (1 min) on 2 cores`: above the core count, other processes competed for CPU. */
export function machineLoad(): string {
  const [oneMinute = NaN] = loadavg();
  return `load average ${oneMinute.toFixed(2)} (1 min) on ${cpus().length} cores`;
}

/**
 * Milliseconds this process's main thread (its event loop) has spent runnable but waiting for a
 * CPU, from Linux `/proc/self/schedstat`; NaN elsewhere. Time a loop waits here is latency that
 * neither the server nor the clients caused: the machine was busy.
 */
export function runQueueWaitMs(): number {
  try {
    const [, waitNs] = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/);
    return Number(waitNs) / 1e6;
  } catch {
    return NaN;
  }
}
