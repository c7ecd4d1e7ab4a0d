/**
 * Land codes (土地码, docs/domain.md §6.1): `{adcode}-{year}-{seq}-{check}`, e.g. `330106-2026-00042-0`, with
 * the check character of the Chinese resident ID card (ISO 7064 MOD 11-2) so that a mistyped code
 * is caught before it reaches the store.
 */

/** The parts a land code is made of. */
export interface LandCodeParts {
  /** 6-digit region code (GB/T 2260), e.g. `"330106"`. */
  adcode: string;
  /** Year the code was issued, 1000–9999. */
  year: number;
  /** Sequence within region and year, 1–99999. */
  seq: number;
}

/** Result of {@link parseLandCode}: the parts, or a message a person understands. */
export type ParsedLandCode = ({ ok: true; code: string } & LandCodeParts) | { ok: false; message: string };

const EXAMPLE = '330106-2026-00042-0';

/**
 * ISO 7064 MOD 11-2 check character over a string of decimal digits: `p = 0; for each digit d:
 * p = ((p + d) × 2) mod 11; check = (12 − p) mod 11`, written `X` when 10. Over the first 17 digits
 * of a resident ID number it gives the ID's 18th character.
 * @throws RangeError when `digits` is empty or holds anything but 0–9.
 */
export function iso7064Mod112(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new RangeError(`ISO 7064 MOD 11-2 needs decimal digits only, got "${digits}"`);
  let p = 0;
  for (const ch of digits) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * Check character of a land code from its 15 digits (adcode, year, sequence, without hyphens).
 * @throws RangeError when `first15Digits` is not exactly 15 decimal digits.
 */
export function landCodeCheckChar(first15Digits: string): string {
  if (!/^\d{15}$/.test(first15Digits)) {
    throw new RangeError(`a land code's check character is computed over exactly 15 digits, got "${first15Digits}"`);
  }
  return iso7064Mod112(first15Digits);
}

/**
 * Formats a land code, check character included: `{adcode:'330106', year:2026, seq:42}` →
 * `"330106-2026-00042-0"`.
 * @throws RangeError when a part is out of range (adcode not 6 digits, year not 4 digits, seq not 1–99999).
 */
export function formatLandCode({ adcode, year, seq }: LandCodeParts): string {
  if (!/^\d{6}$/.test(adcode)) throw new RangeError(`a land code's region code must be 6 digits (GB/T 2260), got "${adcode}"`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`a land code's year must be a 4-digit year, got ${year}`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 99_999) {
    throw new RangeError(`a land code's sequence must be a whole number from 1 to 99999, got ${seq}`);
  }
  const yearText = String(year);
  const seqText = String(seq).padStart(5, '0');
  return `${adcode}-${yearText}-${seqText}-${landCodeCheckChar(adcode + yearText + seqText)}`;
}

/**
 * Reads a land code typed or scanned by a person. Surrounding spaces and a lower-case `x` are
 * forgiven; anything else that does not match the shape, or a wrong check character, is refused
 * with a message that says what is wrong.
 */
export function parseLandCode(code: string): ParsedLandCode {
  const text = code.trim();
  if (text === '') return { ok: false, message: `the land code is empty; a land code looks like ${EXAMPLE}` };
  const match = /^(\d{6})-(\d{4})-(\d{5})-([0-9Xx])$/.exec(text);
  if (!match) {
    return {
      ok: false,
      message:
        `"${text}" is not a land code: a land code looks like ${EXAMPLE} ` +
        '(6-digit region code, 4-digit year, 5-digit sequence and a check character 0–9 or X, separated by hyphens)',
    };
  }
  const [, adcode = '', yearText = '', seqText = '', given = ''] = match;
  const seq = Number(seqText);
  if (seq === 0) return { ok: false, message: `land code "${text}" has sequence 00000; sequences start at 00001` };
  if (yearText.startsWith('0')) return { ok: false, message: `land code "${text}" has year ${yearText}, which is not a valid year` };
  const expected = landCodeCheckChar(adcode + yearText + seqText);
  if (given.toUpperCase() !== expected) {
    return {
      ok: false,
      message:
        `land code "${text}" ends in check character ${given.toUpperCase()}, but its digits give ${expected}: ` +
        'the code is probably mistyped; please check every digit',
    };
  }
  const canonical = `${adcode}-${yearText}-${seqText}-${expected}`;
  return { ok: true, code: canonical, adcode, year: Number(yearText), seq };
}
