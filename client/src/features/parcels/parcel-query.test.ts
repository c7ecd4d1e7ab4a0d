import { describe, expect, it } from 'vitest';
import { classifyParcelQuery, normaliseQuery, stepHighlight } from './parcel-query.ts';

// Check characters worked out by hand with the ID-card weights (2^k mod 11), not with land-code.ts:
// 330106202600042 → 0, 330106202600043 → 9, 330106202600005 → X.

describe('classifyParcelQuery', () => {
  it('opens a full land code with the right check character', () => {
    expect(classifyParcelQuery('330106-2026-00042-0')).toEqual({ kind: 'code', code: '330106-2026-00042-0' });
    expect(classifyParcelQuery('  330106-2026-00043-9 ')).toEqual({ kind: 'code', code: '330106-2026-00043-9' });
  });

  it('accepts a lower-case x, the code typed without hyphens, full-width digits and other dashes', () => {
    expect(classifyParcelQuery('330106-2026-00005-x')).toEqual({ kind: 'code', code: '330106-2026-00005-X' });
    expect(classifyParcelQuery('3301062026000420')).toEqual({ kind: 'code', code: '330106-2026-00042-0' });
    expect(classifyParcelQuery('３３０１０６－２０２６－０００４２－０')).toEqual({ kind: 'code', code: '330106-2026-00042-0' });
    expect(classifyParcelQuery('330106–2026—00042－0')).toEqual({ kind: 'code', code: '330106-2026-00042-0' });
    expect(classifyParcelQuery('330106 - 2026 - 00042 - 0')).toEqual({ kind: 'code', code: '330106-2026-00042-0' });
  });

  it('says a code is mistyped, with the character its digits give, when one digit is changed', () => {
    // 00042 → 00043: the digits now give 9, not the 0 that was typed.
    expect(classifyParcelQuery('330106-2026-00043-0')).toEqual({ kind: 'mistyped', code: '330106-2026-00043-0', given: '0', expected: '9' });
    expect(classifyParcelQuery('330106-2026-00042-x')).toEqual({ kind: 'mistyped', code: '330106-2026-00042-X', given: 'X', expected: '0' });
  });

  it('names the impossible part of a code-shaped text', () => {
    expect(classifyParcelQuery('330106-2026-00000-1')).toMatchObject({ kind: 'malformed', part: 'sequence', value: '00000' });
    expect(classifyParcelQuery('330106-0026-00042-1')).toMatchObject({ kind: 'malformed', part: 'year', value: '0026' });
  });

  it('searches for anything that is not a whole code: part of a code, a name, an address', () => {
    expect(classifyParcelQuery('330106-2026')).toEqual({ kind: 'search', q: '330106-2026' });
    expect(classifyParcelQuery('330106-2026-00042')).toEqual({ kind: 'search', q: '330106-2026-00042' });
    expect(classifyParcelQuery(' 文三路 ')).toEqual({ kind: 'search', q: '文三路' });
    expect(classifyParcelQuery('330106-2026-00042-00')).toEqual({ kind: 'search', q: '330106-2026-00042-00' });
    expect(classifyParcelQuery('a'.repeat(150))).toEqual({ kind: 'search', q: 'a'.repeat(100) });
  });

  it('treats blank input as empty', () => {
    expect(classifyParcelQuery('')).toEqual({ kind: 'empty' });
    expect(classifyParcelQuery(' \u3000 ')).toEqual({ kind: 'empty' });
  });
});

describe('normaliseQuery', () => {
  it('folds full-width characters and the ideographic space', () => {
    expect(normaliseQuery('\u3000ＡＢ１２\u3000')).toBe('AB12');
  });
});

describe('stepHighlight', () => {
  it('starts at the first going down and at the last going up', () => {
    expect(stepHighlight(3, null, 1)).toBe(0);
    expect(stepHighlight(3, null, -1)).toBe(2);
  });
  it('wraps round at both ends', () => {
    expect(stepHighlight(3, 2, 1)).toBe(0);
    expect(stepHighlight(3, 0, -1)).toBe(2);
    expect(stepHighlight(3, 1, 1)).toBe(2);
  });
  it('highlights nothing in an empty list, and restarts when the list got shorter', () => {
    expect(stepHighlight(0, null, 1)).toBeNull();
    expect(stepHighlight(2, 5, 1)).toBe(0);
  });
});
