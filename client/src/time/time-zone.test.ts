/**
 * The page's one time zone: the computer's until the server names its own, then the server's; a
 * garbled answer changes nothing, a failed health read is retried. Each test loads the module
 * afresh (it holds the page's state), with this process set to a zone no server here uses.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const COMPUTER_ZONE = 'America/Chicago';
let savedTz: string | undefined;

async function freshModule() {
  vi.resetModules();
  return import('./time-zone.ts');
}

describe('the page’s time zone', () => {
  beforeEach(() => {
    savedTz = process.env.TZ;
    // Node reads TZ again when it changes: this process now stands for a computer in Chicago.
    process.env.TZ = COMPUTER_ZONE;
  });
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    vi.useRealTimers();
  });

  it('knows a real IANA zone from anything else', async () => {
    const { isTimeZone } = await freshModule();
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(undefined)).toBe(false);
    expect(isTimeZone(8)).toBe(false);
  });

  it('is the computer’s zone until the server names one, then the server’s, and tells who listens', async () => {
    const zone = await freshModule();
    expect(zone.currentTimeZone()).toBe(COMPUTER_ZONE);
    expect(zone.serverTimeZoneKnown()).toBe(false);
    const heard: string[] = [];
    zone.subscribeTimeZone(() => heard.push(zone.currentTimeZone()));

    zone.setServerTimeZone('Europe/Berlin');
    expect(zone.currentTimeZone()).toBe('Europe/Berlin');
    expect(zone.serverTimeZoneKnown()).toBe(true);
    zone.setServerTimeZone('Europe/Berlin'); // the same zone again (the next hello): nobody re-renders
    zone.setServerTimeZone('Not/A_Zone'); // a garbled answer is ignored
    zone.setServerTimeZone(undefined); // so is a server that does not say
    expect(zone.currentTimeZone()).toBe('Europe/Berlin');
    zone.setServerTimeZone('America/New_York'); // a server restarted with another zone
    expect(heard).toEqual(['Europe/Berlin', 'America/New_York']);
  });

  it('counts the server’s zone as news even when it is the computer’s', async () => {
    const zone = await freshModule();
    let calls = 0;
    zone.subscribeTimeZone(() => calls++);
    zone.setServerTimeZone(COMPUTER_ZONE);
    expect(zone.serverTimeZoneKnown()).toBe(true);
    expect(calls).toBe(1);
  });

  it('reads health once for the page and tries again after a failed read', async () => {
    vi.useFakeTimers();
    const zone = await freshModule();
    const read = vi
      .fn<() => Promise<{ timeZone?: unknown }>>()
      .mockRejectedValueOnce(new Error('503 Service Unavailable'))
      .mockResolvedValueOnce({ timeZone: 'Asia/Shanghai' });
    const first = zone.learnServerTimeZone(read);
    const second = zone.learnServerTimeZone(read);
    await vi.advanceTimersByTimeAsync(0);
    expect(read).toHaveBeenCalledTimes(1);
    expect(zone.currentTimeZone()).toBe(COMPUTER_ZONE);

    await vi.advanceTimersByTimeAsync(15_000);
    await Promise.all([first, second]);
    expect(read).toHaveBeenCalledTimes(2);
    expect(zone.currentTimeZone()).toBe('Asia/Shanghai');
  });

  it('stops retrying health once a hello has named the zone', async () => {
    vi.useFakeTimers();
    const zone = await freshModule();
    const read = vi.fn<() => Promise<{ timeZone?: unknown }>>().mockRejectedValue(new Error('offline'));
    const learning = zone.learnServerTimeZone(read);
    await vi.advanceTimersByTimeAsync(0);
    zone.setServerTimeZone('Europe/Berlin');
    await vi.advanceTimersByTimeAsync(60_000);
    await learning;
    expect(read).toHaveBeenCalledTimes(1);
    expect(zone.currentTimeZone()).toBe('Europe/Berlin');
  });
});
