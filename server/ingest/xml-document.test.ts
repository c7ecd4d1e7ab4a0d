/**
 * The document checks shared by the CAP and Open311 XML readers: each format's own wording for an
 * empty body and a DOCTYPE, the validator's complaint said plainly, a parser's throw as an answer;
 * and the entity decoding of their texts.
 */
import { describe, expect, it } from 'vitest';
import { decodeText, readXmlDocument } from './xml-document.ts';

const wording = { empty: 'the test document is empty', doctype: 'a test document must not contain a DOCTYPE or entity declarations' };
const parse = (xml: string): unknown => ({ parsed: xml.length });

describe('readXmlDocument', () => {
  it('answers an empty body and a DOCTYPE in the format\'s words', () => {
    expect(readXmlDocument(' \n', wording, parse)).toEqual({ fatal: { path: '', message: wording.empty } });
    expect(readXmlDocument('<!doctype a><a/>', wording, parse)).toEqual({ fatal: { path: '', message: wording.doctype } });
    expect(readXmlDocument('<a><!ENTITY x "y"></a>', wording, parse)).toEqual({ fatal: { path: '', message: wording.doctype } });
  });

  it('says a cut-off document ends before closing its open elements', () => {
    expect(readXmlDocument('<alert><info><event>x</event>', wording, parse)).toEqual({ fatal: { path: '', message: 'the XML is malformed: it ends before closing <alert>, <info> (cut off?)' } });
  });

  it('gives the line and column of any other malformation', () => {
    const read = readXmlDocument('<a>\n<b></c></a>', wording, parse);
    expect(read).toMatchObject({ fatal: { path: '', message: expect.stringMatching(/^the XML is malformed at line 2, column \d+: /) } });
  });

  it('parses a valid document, and answers a parser that throws', () => {
    expect(readXmlDocument('<a/>', wording, parse)).toEqual({ doc: { parsed: 4 } });
    const throwing = (): unknown => {
      throw new Error('Maximum nested tags exceeded');
    };
    expect(readXmlDocument('<a/>', wording, throwing)).toEqual({ fatal: { path: '', message: 'the XML cannot be read: Maximum nested tags exceeded' } });
  });
});

describe('decodeText', () => {
  it('decodes the predefined entities and character references, and leaves anything else as written', () => {
    expect(decodeText('&lt;a&GT; &amp;amp; &#20013;&#x6587; &#x110000; &nbsp;')).toBe('<a> &amp; 中文 &#x110000; &nbsp;');
  });
});
