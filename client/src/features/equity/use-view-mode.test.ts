import { describe, expect, it } from 'vitest';
import { urlWithView, viewFromUrl } from './use-view-mode.ts';

describe('the view in the address', () => {
  it('opens the equity view only for ?view=equity', () => {
    expect(viewFromUrl('?view=equity')).toBe('equity');
    expect(viewFromUrl('?lang=en&view=equity')).toBe('equity');
    expect(viewFromUrl('')).toBe('wall');
    expect(viewFromUrl('?view=risk')).toBe('wall');
  });

  it('writes the view into the address, keeping the rest, and drops it for the wall', () => {
    expect(urlWithView('http://h/?a=1#x', 'equity')).toBe('/?a=1&view=equity#x');
    expect(urlWithView('http://h/?view=equity&a=1', 'wall')).toBe('/?a=1');
    expect(urlWithView('http://h/p?view=equity', 'wall')).toBe('/p');
  });
});
