/**
 * The character encoding of an XML intake body (CAP, Open311 XML), as RFC 7303 §3 orders the
 * sources: a byte order mark is authoritative; without one, the `charset` parameter of Content-Type;
 * without that, the encoding the XML declaration names (`<?xml version="1.0" encoding="ISO-8859-1"?>`);
 * without a declaration, UTF-8 (or UTF-16, which XML recognises by its first bytes).
 *
 * Labels are read as `TextDecoder` reads them (the WHATWG Encoding Standard): ISO-8859-1 and
 * US-ASCII decode as windows-1252, their superset, which is what senders that write those labels
 * mostly mean; bytes 0x80–0x9F are C1 controls in ISO-8859-1 and XML text has no use for them.
 */

/**
 * Windows-1252's bytes 0x80–0x9F, as the WHATWG index maps them; the five it leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their C1 code points.
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Decodes `bytes` in the encoding `label` names, as `TextDecoder` would by the Encoding Standard.
 * Windows-1252 (which the labels latin1, iso-8859-1 and us-ascii also name) is decoded here:
 * some Node 20 releases, this project's among them, decode it as ISO-8859-1 and turn €, ‘’ “” and
 * … into invisible control characters. Throws a RangeError for a label `TextDecoder` does not know.
 */
export function decodeBytes(bytes: Uint8Array, label: string): string {
  const decoder = new TextDecoder(label);
  if (decoder.encoding !== 'windows-1252') return decoder.decode(bytes);
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH.charAt(c.charCodeAt(0) - 0x80));
}

/** `encoding`: the `TextDecoder` name to use; `from`: which source decided it. */
export interface XmlEncoding {
  encoding: string;
  from: 'bom' | 'charset' | 'declaration' | 'default';
}

/** An encoding this server cannot decode, with a message that names it. */
export interface RefusedEncoding {
  refused: string;
}

export type XmlDecoding = (XmlEncoding & { text: string }) | RefusedEncoding;

/** Byte order marks, longest first: a UTF-32 LE mark begins with the UTF-16 LE one. */
const BOMS: readonly { bytes: readonly number[]; encoding: string | null; name: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: null, name: 'UTF-32LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: null, name: 'UTF-32BE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8', name: 'UTF-8' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be', name: 'UTF-16BE' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le', name: 'UTF-16LE' },
];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean => prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);

/** `<?xml` in single bytes: the body is in an ASCII-compatible encoding, so the declaration can be read. */
const XML_DECL = [0x3c, 0x3f, 0x78, 0x6d, 0x6c];
/** `<?` in UTF-16 without a byte order mark (XML 1.0 appendix F). */
const UTF16LE_START = [0x3c, 0x00, 0x3f, 0x00];
const UTF16BE_START = [0x00, 0x3c, 0x00, 0x3f];

/** A declaration is short; a body whose first 1 kB holds no `?>` has none worth reading. */
const DECL_WINDOW = 1024;
const ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;
/** XML's EncName production: what an encoding name may be. */
const ENC_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/** `TextDecoder`'s name for a label, or `null` when it has none (unknown, or a label it refuses). */
function decoderName(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/** The encoding named by the XML declaration at the start of `bytes`, as written; `null`: none. */
export function declaredEncoding(bytes: Uint8Array): string | null {
  if (!startsWith(bytes, XML_DECL)) return null;
  const head = bytes.subarray(0, DECL_WINDOW);
  // Single bytes are enough to read the declaration: it is ASCII in every encoding that starts "<?xml".
  let text = '';
  for (const b of head) {
    text += String.fromCharCode(b);
    if (b === 0x3e) break; // '>': the declaration ends at its "?>"
  }
  const match = ENCODING.exec(text);
  return match ? (match[1] ?? match[2] ?? '') : null;
}

/** Which encoding applies to `bytes`, by RFC 7303's order; `charset`: Content-Type's, when given. */
export function xmlEncoding(bytes: Uint8Array, charset: string | undefined): XmlEncoding | RefusedEncoding {
  const bom = BOMS.find((m) => startsWith(bytes, m.bytes));
  if (bom) {
    return bom.encoding === null
      ? { refused: `the body starts with a ${bom.name} byte order mark, and ${bom.name} cannot be read here; send it as UTF-8` }
      : { encoding: bom.encoding, from: 'bom' };
  }
  if (charset !== undefined) {
    const name = decoderName(charset);
    return name === null ? { refused: `the charset "${charset.slice(0, 64)}" cannot be read here; send the body as UTF-8` } : { encoding: name, from: 'charset' };
  }
  if (startsWith(bytes, UTF16LE_START)) return { encoding: 'utf-16le', from: 'default' };
  if (startsWith(bytes, UTF16BE_START)) return { encoding: 'utf-16be', from: 'default' };
  const declared = declaredEncoding(bytes);
  if (declared === null) return { encoding: 'utf-8', from: 'default' };
  const shown = JSON.stringify(declared.slice(0, 64));
  const name = ENC_NAME.test(declared) ? decoderName(declared) : null;
  if (name === null) {
    return { refused: `the XML declaration names the encoding ${shown}, which cannot be read here; send the body as UTF-8, or name a charset this server reads in Content-Type` };
  }
  // The body began "<?xml" in single bytes, which UTF-16 cannot do: the declaration is wrong, as in
  // text serialised to a UTF-16 string (.NET's StringWriter) and sent as UTF-8. The bytes decide.
  if (name === 'utf-16le' || name === 'utf-16be') return { encoding: 'utf-8', from: 'default' };
  return { encoding: name, from: 'declaration' };
}

/** Decodes an XML body (see the module comment for which encoding applies). */
export function decodeXmlBody(bytes: Uint8Array, charset: string | undefined): XmlDecoding {
  const chosen = xmlEncoding(bytes, charset);
  if ('refused' in chosen) return chosen;
  // TextDecoder drops a byte order mark of its own encoding, which is the one a mark selects.
  return { text: decodeBytes(bytes, chosen.encoding), ...chosen };
}
