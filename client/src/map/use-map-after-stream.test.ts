import { describe, expect, it } from 'vitest';
import { mapMayStart } from './use-map-after-stream.ts';

describe('when a page may start its map', () => {
  it('signed out: at once (nothing to stream); checking: only after the wait', () => {
    expect(mapMayStart('signed-out', 'connecting', false)).toBe(true);
    expect(mapMayStart('checking', 'connecting', false)).toBe(false);
    expect(mapMayStart('checking', 'connecting', true)).toBe(true);
  });

  it('signed in: once the stream is live or offline, or after the wait', () => {
    expect(mapMayStart('signed-in', 'connecting', false)).toBe(false);
    expect(mapMayStart('signed-in', 'live', false)).toBe(true);
    expect(mapMayStart('signed-in', 'offline', false)).toBe(true);
    expect(mapMayStart('signed-in', 'connecting', true)).toBe(true);
  });
});
