/**
 * Which encoding an XML body is read in: byte order mark, then Content-Type's charset, then the XML
 * declaration, then UTF-8. Bodies are built byte by byte (Buffer.from(text, 'latin1') writes each
 * character below U+0100 as the one byte ISO-8859-1 gives it), and the expected texts are written
 * out by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IncidentDraft } from '../domain/incidents/draft.ts';
import { DEFAULT_INTAKE_LIMITS } from './limits.ts';
import { parseIntakeBody, type IntakeFormat, type ParseOutcome } from './parse-body.ts';
import { declaredEncoding, decodeBytes, decodeXmlBody, xmlEncoding, type XmlDecoding } from './xml-charset.ts';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const bytes = (...parts: (Uint8Array | number[])[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function decoded(result: XmlDecoding): { text: string; encoding: string; from: string } {
  if ('refused' in result) throw new Error(`expected a decoded body, got: ${result.refused}`);
  return result;
}
function refused(result: XmlDecoding): string {
  if (!('refused' in result)) throw new Error(`expected a refusal, got the ${result.encoding} text ${JSON.stringify(result.text.slice(0, 60))}`);
  return result.refused;
}

const CAP_LATIN1 = `<?xml version="1.0" encoding="ISO-8859-1"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><info><senderName>Bürgermeister von Köln</senderName><headline>Fermeture de l'école</headline></info></alert>`;

describe('decodeXmlBody: the XML declaration, when Content-Type names no charset', () => {
  it('reads an ISO-8859-1 CAP alert: ü, ö and é are one byte each', () => {
    const body = latin1(CAP_LATIN1);
    // One byte per character, ü being 0xFC and é 0xE9: not UTF-8, which would take two for each.
    expect(body.length).toBe(CAP_LATIN1.length);
    expect([...body]).toEqual(expect.arrayContaining([0xfc, 0xf6, 0xe9]));
    const out = decoded(decodeXmlBody(body, undefined));
    expect(out).toMatchObject({ encoding: 'windows-1252', from: 'declaration' });
    expect(out.text).toContain('<senderName>Bürgermeister von Köln</senderName>');
    expect(out.text).toContain("Fermeture de l'école");
  });

  it('reads windows-1252, whose 0x80–0x9F are printable (€, curly quotes, ellipsis)', () => {
    const body = bytes(latin1('<?xml version="1.0" encoding="windows-1252"?><alert><headline>'), [0x93, 0x80, 0x20, 0x35, 0x85, 0x94], latin1('</headline></alert>'));
    const out = decoded(decodeXmlBody(body, undefined));
    expect(out.from).toBe('declaration');
    expect(out.text).toContain('<headline>\u201c\u20ac 5\u2026\u201d</headline>');
  });

  it('reads GBK, a two-byte encoding Chinese senders still use', () => {
    // 噪 is D4 EB and 音 is D2 F4 in GB 2312, which GBK extends.
    const body = bytes(latin1("<?xml version='1.0' encoding='GBK'?><request><service_name>"), [0xd4, 0xeb, 0xd2, 0xf4], latin1('</service_name></request>'));
    expect(decoded(decodeXmlBody(body, undefined)).text).toContain('<service_name>噪音</service_name>');
  });

  it('finds the encoding with single quotes, blanks around "=", and standalone after it', () => {
    expect(declaredEncoding(latin1(`<?xml version='1.0' encoding = 'iso-8859-1' standalone="yes"?><a/>`))).toBe('iso-8859-1');
    expect(declaredEncoding(latin1('<?xml version="1.0"\n\tencoding="Latin1"?><a/>'))).toBe('Latin1');
  });

  it('reads UTF-8 when there is no declaration, or one without an encoding', () => {
    expect(decoded(decodeXmlBody(utf8('<alert><headline>é</headline></alert>'), undefined))).toMatchObject({ encoding: 'utf-8', from: 'default', text: '<alert><headline>é</headline></alert>' });
    expect(decoded(decodeXmlBody(utf8('<?xml version="1.0"?><a>é</a>'), undefined))).toMatchObject({ encoding: 'utf-8', from: 'default', text: '<?xml version="1.0"?><a>é</a>' });
    // Not at the very start, it is no XML declaration (and the parser will say so).
    expect(declaredEncoding(latin1(' <?xml version="1.0" encoding="ISO-8859-1"?><a/>'))).toBeNull();
  });

  it('reads UTF-8 when the declaration says UTF-16 but the bytes are single-byte "<?xml"', () => {
    const text = '<?xml version="1.0" encoding="utf-16"?><a>é</a>';
    expect(decoded(decodeXmlBody(utf8(text), undefined))).toMatchObject({ encoding: 'utf-8', text });
  });

  it.each([
    ['EBCDIC-CP-US'], ['UTF-7'], ['x-no-such-encoding'], ['ISO-2022-KR'], ['utf 8'], [''],
  ])('refuses the declared encoding %j, naming it', (name) => {
    const message = refused(decodeXmlBody(latin1(`<?xml version="1.0" encoding="${name}"?><a/>`), undefined));
    expect(message).toContain(`the XML declaration names the encoding ${JSON.stringify(name)}`);
    expect(message).toContain('cannot be read here');
  });
});

describe('decodeXmlBody: Content-Type charset and byte order marks', () => {
  it('lets a charset in Content-Type override the declaration', () => {
    const out = decoded(decodeXmlBody(latin1(CAP_LATIN1), 'utf-8'));
    expect(out).toMatchObject({ encoding: 'utf-8', from: 'charset' });
    // 0xFC is not UTF-8: it decodes as the replacement character, as the sender's charset says.
    expect(out.text).toContain('B\ufffdrgermeister');
  });

  it('does not refuse an unreadable declaration when Content-Type names the charset', () => {
    expect(decoded(decodeXmlBody(latin1('<?xml version="1.0" encoding="EBCDIC-CP-US"?><a>é</a>'), 'iso-8859-1')).text).toContain('<a>é</a>');
  });

  it('lets a UTF-8 byte order mark win over the declaration and over Content-Type, and drops it', () => {
    const text = '<?xml version="1.0" encoding="ISO-8859-1"?><alert><headline>Bürgermeister é</headline></alert>';
    const body = bytes(UTF8_BOM, utf8(text));
    expect(decoded(decodeXmlBody(body, undefined))).toEqual({ text, encoding: 'utf-8', from: 'bom' });
    expect(decoded(decodeXmlBody(body, 'iso-8859-1'))).toEqual({ text, encoding: 'utf-8', from: 'bom' });
  });

  it('reads UTF-16 by its byte order mark, either byte order, and without one by its first bytes', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><a>é噪</a>';
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    const be = le.map((_, i) => le[i ^ 1] ?? 0);
    expect(decoded(decodeXmlBody(bytes([0xff, 0xfe], le), undefined))).toEqual({ text, encoding: 'utf-16le', from: 'bom' });
    expect(decoded(decodeXmlBody(bytes([0xfe, 0xff], be), undefined))).toEqual({ text, encoding: 'utf-16be', from: 'bom' });
    expect(decoded(decodeXmlBody(le, undefined))).toEqual({ text, encoding: 'utf-16le', from: 'default' });
    expect(decoded(decodeXmlBody(be, undefined))).toEqual({ text, encoding: 'utf-16be', from: 'default' });
  });

  it('refuses a UTF-32 byte order mark, naming it', () => {
    expect(refused(decodeXmlBody(bytes([0xff, 0xfe, 0x00, 0x00], [0x3c, 0, 0, 0]), undefined))).toContain('UTF-32LE byte order mark');
    expect(xmlEncoding(bytes([0x00, 0x00, 0xfe, 0xff]), 'utf-8')).toHaveProperty('refused');
  });
});

describe('decodeBytes', () => {
  it('decodes windows-1252 0x80–0x9F as the Encoding Standard maps them, under every label that names it', () => {
    const high = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    // The WHATWG windows-1252 index, 0x80 to 0x9F; 0x81, 0x8D, 0x8F, 0x90 and 0x9D map to themselves.
    const expected = [
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
      0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
    ];
    for (const label of ['windows-1252', 'cp1252', 'latin1', 'ISO-8859-1', 'us-ascii']) {
      expect([...decodeBytes(high, label)].map((c) => c.codePointAt(0)), label).toEqual(expected);
    }
  });

  it('decodes the rest of windows-1252 as ISO-8859-1, and other encodings as TextDecoder does', () => {
    expect(decodeBytes(latin1('Bürgermeister é ÿ'), 'windows-1252')).toBe('Bürgermeister é ÿ');
    expect(decodeBytes(new Uint8Array([0xc0, 0xe0]), 'windows-1251')).toBe('Аа');
    expect(() => decodeBytes(new Uint8Array(), 'no-such-label')).toThrow(RangeError);
  });
});

describe('XML bodies through the parse worker code (parseIntakeBody)', () => {
  const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/open311/${name}`, import.meta.url)));
  /** As intake.ts sends a job: charset utf-8 unless Content-Type named one. */
  const parse = (format: IntakeFormat, body: Uint8Array, charset?: string): ParseOutcome =>
    parseIntakeBody({ format, body, charset: charset ?? 'utf-8', charsetGiven: charset !== undefined, limits: DEFAULT_INTAKE_LIMITS, options: { nowMs: 0 }, hashSource: '' });
  function draft(outcome: ParseOutcome): IncidentDraft | undefined {
    if (outcome.type !== 'parsed' || Array.isArray(outcome.parsed)) throw new Error(`expected drafts, got ${JSON.stringify(outcome)}`);
    return outcome.parsed.drafts[0]?.draft;
  }

  it('reads cap-latin1.xml, an ISO-8859-1 CAP alert sent without a charset', () => {
    const d = draft(parse('cap', fixtureBytes('cap-latin1.xml')));
    expect(d?.title).toBe('Der Bürgermeister warnt: Hochwasser, Straßen am Rheinufer gesperrt');
    expect(d?.description).toBe('Crue du Rhin : quai fermé, évitez la zone.');
  });

  it('reads an ISO-8859-1 CAP alert built in the test the same way', () => {
    const text = CAP_LATIN1.replace('<info>', '<identifier>x</identifier><info><category>Met</category><event>Hochwasser</event><description>Der Bürgermeister von Köln</description><area><circle>50.9,6.9 1</circle></area>');
    expect(draft(parse('cap', latin1(text)))).toMatchObject({ title: "Fermeture de l'école", description: 'Der Bürgermeister von Köln' });
  });

  it('reads open311-windows-1252.xml, whose quotes, dash, euro sign and ellipsis are bytes 0x80–0x9F', () => {
    expect(draft(parse('open311-xml', fixtureBytes('open311-windows-1252.xml')))).toMatchObject({
      externalId: 'W-1',
      title: 'Café terrace',
      description: '\u201cBlocked\u201d \u2013 fine \u20ac50\u2026',
    });
  });

  it('reads open311-utf8-bom.xml as UTF-8 though it declares ISO-8859-1, and whatever Content-Type says', () => {
    for (const charset of [undefined, 'iso-8859-1']) {
      expect(draft(parse('open311-xml', fixtureBytes('open311-utf8-bom.xml'), charset))).toMatchObject({ title: 'Bürgersteig beschädigt', description: '噪音 é' });
    }
  });

  it('refuses a body whose declaration names an encoding it cannot read, as invalid_body naming it', () => {
    const outcome = parse('open311-xml', latin1('<?xml version="1.0" encoding="EBCDIC-CP-US"?><request/>'));
    expect(outcome).toMatchObject({ type: 'refused', code: 'invalid_body' });
    expect(outcome.type === 'refused' && outcome.message).toContain('"EBCDIC-CP-US"');
  });

  it('hashes the decoded text, so the same alert in two encodings is the same request', () => {
    const hash = (o: ParseOutcome) => (o.type === 'parsed' ? o.requestHash : null);
    const text = '<?xml version="1.0" encoding="ISO-8859-1"?><request><description>é</description><lat>1</lat><long>2</long></request>';
    const asUtf8 = bytes(UTF8_BOM, utf8(text));
    expect(hash(parse('open311-xml', latin1(text)))).toBe(hash(parse('open311-xml', asUtf8)));
  });
});
