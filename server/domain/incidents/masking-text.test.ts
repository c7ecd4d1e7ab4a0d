/** Personal numbers inside free text are masked; ordinary numbers are left alone. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskNumbersInText } from './masking.ts';

/** ISO 7064 MOD 11-2, as on the resident ID card: an independent check-character computation. */
function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

describe('maskNumbersInText', () => {
  it.each([
    ['来电人手机13812345678，请回电', '来电人手机138****5678，请回电'],
    ['call +86 138-1234-5678 now', 'call +86 138-****-5678 now'],
    ['身份证 330106199001011234', '身份证 330106********1234'],
    ['ID 11010519491231002X.', 'ID 110105********002X.'],
    ['座机 0571-87654321', '座机 057*-****4321'],
    ['number 1234567 here', 'number *****67 here'],
  ])('%s', (input, expected) => {
    expect(maskNumbersInText(input)).toBe(expected);
  });

  it('leaves dates, times, house numbers and counts alone', () => {
    for (const text of ['2026-11-23 08:30 文一西路 969 号', '3 incidents, 12 residents, 500 m', 'v1.2.3', '330106-2026-00042-0']) {
      expect(maskNumbersInText(text)).toBe(text);
    }
  });

  it('never shows a generated mobile or ID number in full, wherever it sits in text (property)', () => {
    const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);
    const id = fc.stringMatching(/^[1-6]\d{16}$/).map((s) => s + idCheck(s));
    const filler = fc.string({ unit: fc.constantFrom(...'来电反映噪音扰民 please call ，。,.:（）()'.split('')), maxLength: 12 });
    fc.assert(
      fc.property(filler, fc.oneof(mobile, id), filler, (before, number, after) => {
        const masked = maskNumbersInText(`${before}${number}${after}`);
        expect(masked).not.toContain(number);
        expect(masked.replace(/\D/g, '')).not.toContain(number.replace(/\D/g, ''));
      }),
      { numRuns: 500, seed: 9 },
    );
  });
});
