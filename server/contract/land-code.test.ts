import { describe, expect, it } from 'vitest';
import { formatLandCode, iso7064Mod112, landCodeCheckChar, parseLandCode } from './land-code.ts';

/*
 * Check characters below were worked out by hand, not by running the code.
 *
 * 330106-2026-00042: digits 3 3 0 1 0 6 2 0 2 6 0 0 0 4 2, p = ((p + d) × 2) mod 11:
 *   p: 0 →(3) 6 →(3) 18 mod 11 = 7 →(0) 14 mod 11 = 3 →(1) 8 →(0) 16 mod 11 = 5 →(6) 22 mod 11 = 0
 *      →(2) 4 →(0) 8 →(2) 20 mod 11 = 9 →(6) 30 mod 11 = 8 →(0) 16 mod 11 = 5 →(0) 10
 *      →(0) 20 mod 11 = 9 →(4) 26 mod 11 = 4 →(2) 12 mod 11 = 1
 *   check = (12 − 1) mod 11 = 0                                   → 330106-2026-00042-0
 * Cross-check with the weights form (weights 2^(16−i) mod 11 = 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2):
 *   30+15+0+4+0+6+12+0+14+54+0+0+0+16+4 = 155, 155 mod 11 = 1, (12 − 1) mod 11 = 0 ✓
 * Same prefix, last digit changed (p before the last digit is 4):
 *   …00043: (4 + 3) × 2 = 14 mod 11 = 3, check = 9                → 330106-2026-00043-9
 *   …00048: (4 + 8) × 2 = 24 mod 11 = 2, check = 10 → X           → 330106-2026-00048-X
 *
 * Resident ID examples (GB 11643), weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
 *   11010519491231002X: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, mod 11 = 2, (12 − 2) = 10 → X
 *   440524188001010014: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195, mod 11 = 8, (12 − 8) = 4 → 4
 */

describe('iso7064Mod112', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['330106202600042', '0'],
  ])('over %s gives %s', (digits, check) => {
    expect(iso7064Mod112(digits)).toBe(check);
  });

  it('refuses non-digits', () => {
    expect(() => iso7064Mod112('12a4')).toThrow(RangeError);
    expect(() => iso7064Mod112('')).toThrow(RangeError);
  });
});

describe('landCodeCheckChar', () => {
  it.each([
    ['330106202600042', '0'],
    ['330106202600043', '9'],
    ['330106202600048', 'X'],
    ['330106202600024', '4'],
  ])('over %s gives %s', (digits, check) => {
    expect(landCodeCheckChar(digits)).toBe(check);
  });

  it('needs exactly 15 digits', () => {
    expect(() => landCodeCheckChar('33010620260004')).toThrow(/15 digits/);
    expect(() => landCodeCheckChar('3301062026000420')).toThrow(/15 digits/);
  });
});

describe('formatLandCode', () => {
  it('pads the sequence and appends the check character', () => {
    expect(formatLandCode({ adcode: '330106', year: 2026, seq: 42 })).toBe('330106-2026-00042-0');
    expect(formatLandCode({ adcode: '330106', year: 2026, seq: 43 })).toBe('330106-2026-00043-9');
    expect(formatLandCode({ adcode: '330106', year: 2026, seq: 48 })).toBe('330106-2026-00048-X');
  });

  it.each([
    [{ adcode: '33010', year: 2026, seq: 1 }, /region code/],
    [{ adcode: '330106', year: 26, seq: 1 }, /year/],
    [{ adcode: '330106', year: 2026, seq: 0 }, /sequence/],
    [{ adcode: '330106', year: 2026, seq: 100_000 }, /sequence/],
    [{ adcode: '330106', year: 2026, seq: 1.5 }, /sequence/],
  ])('refuses out-of-range parts %o', (parts, message) => {
    expect(() => formatLandCode(parts)).toThrow(message);
  });
});

describe('parseLandCode', () => {
  it('reads a valid code into its parts', () => {
    expect(parseLandCode('330106-2026-00042-0')).toEqual({
      ok: true,
      code: '330106-2026-00042-0',
      adcode: '330106',
      year: 2026,
      seq: 42,
    });
  });

  it('forgives surrounding spaces and a lower-case x', () => {
    const parsed = parseLandCode(' 330106-2026-00048-x ');
    expect(parsed).toMatchObject({ ok: true, code: '330106-2026-00048-X', seq: 48 });
  });

  it('rejects a wrong check character as mistyped, naming the expected one', () => {
    const parsed = parseLandCode('330106-2026-00042-7');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/check character 7.*give 0.*mistyped/);
  });

  it('rejects swapped digits (the error a check character exists for)', () => {
    // …00024: p after the first 13 digits is 9 (see the top), (9 + 2) × 2 = 22 mod 11 = 0,
    // (0 + 4) × 2 = 8, check = (12 − 8) mod 11 = 4, not the 0 of …00042.
    expect(parseLandCode('330106-2026-00024-0').ok).toBe(false);
  });

  it.each([
    '',
    '330106202600042',
    '330106-2026-42-0',
    '3301-2026-00042-0',
    '330106-26-00042-0',
    '330106-2026-00042-A',
    '330106-2026-00042',
    '330106_2026_00042_0',
  ])('rejects the malformed %j with an example of the right shape', (code) => {
    const parsed = parseLandCode(code);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('330106-2026-00042-0');
  });

  it('rejects sequence 00000', () => {
    const parsed = parseLandCode(formatLikeWithoutValidation('330106', '2026', '00000'));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/00001/);
  });

  it('round-trips every code it formats', () => {
    for (let seq = 1; seq <= 200; seq++) {
      const code = formatLandCode({ adcode: '330110', year: 2025, seq });
      expect(parseLandCode(code)).toMatchObject({ ok: true, adcode: '330110', year: 2025, seq });
    }
  });
});

/** Builds a code with a correct check character but parts `formatLandCode` would refuse. */
function formatLikeWithoutValidation(adcode: string, year: string, seq: string): string {
  return `${adcode}-${year}-${seq}-${iso7064Mod112(adcode + year + seq)}`;
}
