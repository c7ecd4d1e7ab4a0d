/**
 * The markup lexer of the raw XML scans (scan-cap.ts for CAP, open311-xml.ts for Open311 XML): what
 * starts at one `<`, read with `indexOf` and char codes, never a RegExp over the text, so each scan
 * stays one pass however large the body. Comments and tags are measured as they are read, so a 30 MB
 * tag name or attribute is refused at the record limit, not after a walk to its end. What the markup
 * means (an element to count, a text to measure) is left to the scan.
 */
import { isBlank, longerThan } from './limits.ts';

const SLASH = 0x2f;
const GT = 0x3e;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const COLON = 0x3a;
const QUESTION = 0x3f;
const BANG = 0x21;

/**
 * What starts at a `<`: a CDATA section, a comment, a tag (a start, end or empty-element tag, or a
 * declaration such as `<?xml …?>` or `<!DOCTYPE …>`), or markup longer than the limit.
 */
export type MarkupKind = 'cdata' | 'comment' | 'tag' | 'too long';

/**
 * One per scan: `read` says what starts at a `<`, and the fields describe it until the next `read`.
 * It holds positions and flags only, and the scan slices the local name when it wants it: a reader
 * that kept name strings, or a fresh result object per tag, made the scans a fifth slower.
 */
export class MarkupReader {
  /** Where the scan goes on. */
  end = 0;
  /** A CDATA section's text: `text[from, to)`. */
  from = 0;
  to = 0;
  /** A tag's local name (its name without namespace prefix): `text[localFrom, nameEnd)`. */
  localFrom = 0;
  nameEnd = 0;
  closing = false;
  selfClosing = false;
  /** Whether the tag is a declaration (`<?xml …?>`, `<!DOCTYPE …>`): its name starts with `?` or `!`. */
  declaration = false;
  /** What was too long, in the words of the scans' messages. */
  what = '';

  constructor(private readonly text: string, private readonly max: number) {}

  read(lt: number): MarkupKind {
    const text = this.text;
    if (text.startsWith('<![CDATA[', lt)) return this.cdata(lt);
    if (text.startsWith('<!--', lt)) return this.comment(lt);
    // A tag: its name, then attributes up to the '>' that is not inside a quoted value.
    const closing = text.charCodeAt(lt + 1) === SLASH;
    const from = closing ? lt + 2 : lt + 1;
    const j = nameEnd(text, from, lt, this.max);
    if (j < 0) return this.tooLong('a tag name');
    this.nameEnd = j;
    const first = text.charCodeAt(from);
    this.declaration = j > from && (first === QUESTION || first === BANG);
    // The prefix ends at the name's last ':', looked for in the name only (lastIndexOf would search
    // back through the whole text for a name without one).
    let local = j;
    while (local > from && text.charCodeAt(local - 1) !== COLON) local--;
    this.localFrom = local;
    const end = tagEnd(text, j, lt, this.max);
    if (end < 0) return this.tooLong(`the tag <${this.local()}> with its attributes`);
    this.end = end;
    this.closing = closing;
    this.selfClosing = text.charCodeAt(end - 2) === SLASH;
    return 'tag';
  }

  /** The name of the tag just read without its namespace prefix, as the adapters read it. */
  local(): string {
    return this.text.slice(this.localFrom, this.nameEnd);
  }

  private cdata(lt: number): MarkupKind {
    const n = this.text.length;
    const close = this.text.indexOf(']]>', lt + 9);
    this.from = lt + 9;
    this.to = close < 0 ? n : close;
    this.end = close < 0 ? n : close + 3;
    return 'cdata';
  }

  private comment(lt: number): MarkupKind {
    const close = this.text.indexOf('-->', lt + 4);
    this.end = close < 0 ? this.text.length : close + 3;
    return longerThan(this.text, lt, this.end, this.max) ? this.tooLong('a comment') : 'comment';
  }

  private tooLong(what: string): MarkupKind {
    this.what = what;
    return 'too long';
  }
}

/** Where the tag name starting at `from` ends, or -1 when the tag runs past the limit in it. */
function nameEnd(text: string, from: number, lt: number, max: number): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isBlank(c) || c === GT || c === SLASH) break;
    if (j - lt > max) return -1;
    j++;
  }
  return j;
}

/** Where the tag ends (past its `>`), its attributes read from `k`, or -1 when it is longer than the limit. */
function tagEnd(text: string, k: number, lt: number, max: number): number {
  const n = text.length;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === GT) break;
    if (c === DQUOTE || c === SQUOTE) {
      const q = text.indexOf(c === DQUOTE ? '"' : "'", k + 1);
      k = q < 0 ? n : q + 1;
    } else k++;
    // Code units never outnumber UTF-8 bytes: past the limit in units, the tag is too long already.
    if (k - lt > max) break;
  }
  const end = Math.min(n, k + 1);
  return longerThan(text, lt, end, max) ? -1 : end;
}
