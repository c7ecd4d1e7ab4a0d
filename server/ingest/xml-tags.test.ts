/**
 * The markup reader shared by the CAP and Open311 XML scans, by hand: what it reads at one `<`, and
 * the first part it finds too long.
 */
import { describe, expect, it } from 'vitest';
import { MarkupReader } from './xml-tags.ts';

/** What the reader says of the markup at `lt`, with the fields that matter for its kind. */
function read(text: string, lt = 0, max = 1024): Record<string, unknown> {
  const r = new MarkupReader(text, max);
  const kind = r.read(lt);
  switch (kind) {
    case 'cdata':
      return { kind, from: r.from, to: r.to, end: r.end };
    case 'comment':
      return { kind, end: r.end };
    case 'tag':
      return { kind, closing: r.closing, selfClosing: r.selfClosing, declaration: r.declaration, local: r.local(), end: r.end };
    case 'too long':
      return { kind, what: r.what };
  }
}

describe('MarkupReader', () => {
  it('reads a start tag: its name without its prefix, and where it ends', () => {
    const xml = '<cap:info lang="en">';
    expect(read(xml)).toEqual({ kind: 'tag', closing: false, selfClosing: false, declaration: false, local: 'info', end: xml.length });
    expect(read('<a:b:polygon>')).toMatchObject({ local: 'polygon' });
  });

  it('reads end tags, empty-element tags and declarations', () => {
    expect(read('x</a:polygon>y', 1)).toMatchObject({ kind: 'tag', closing: true, local: 'polygon', end: 13 });
    expect(read('<circle/>')).toMatchObject({ kind: 'tag', closing: false, selfClosing: true, local: 'circle' });
    expect(read('<?xml version="1.0"?><a/>')).toMatchObject({ kind: 'tag', declaration: true, end: 21 });
    expect(read('<!DOCTYPE a>')).toMatchObject({ kind: 'tag', declaration: true });
  });

  it('finds the end of a tag past a quoted ">"', () => {
    const xml = `<a x="1>2" y='>'>text`;
    expect(read(xml)).toMatchObject({ kind: 'tag', end: xml.indexOf('text') });
  });

  it("gives a CDATA section's text to the scan, and skips a comment", () => {
    expect(read('<![CDATA[a<b]]>c')).toEqual({ kind: 'cdata', from: 9, to: 12, end: 15 });
    expect(read('<![CDATA[cut')).toEqual({ kind: 'cdata', from: 9, to: 12, end: 12 });
    expect(read('<!-- <a> -->b')).toEqual({ kind: 'comment', end: 12 });
  });

  it('names the first part longer than the limit, in UTF-8 bytes', () => {
    expect(read(`<!--${'x'.repeat(20)}-->`, 0, 16)).toEqual({ kind: 'too long', what: 'a comment' });
    expect(read(`<${'n'.repeat(20)}>`, 0, 16)).toEqual({ kind: 'too long', what: 'a tag name' });
    expect(read(`<a:info x="${'y'.repeat(20)}">`, 0, 16)).toEqual({ kind: 'too long', what: 'the tag <info> with its attributes' });
    // 11 code units but 17 bytes: too long; with one 火 fewer, 14 bytes fit.
    expect(read('<a x="火火火">', 0, 16)).toEqual({ kind: 'too long', what: 'the tag <a> with its attributes' });
    expect(read('<a x="火火">', 0, 16)).toMatchObject({ kind: 'tag', local: 'a' });
  });
});
