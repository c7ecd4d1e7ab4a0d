/**
 * The parcel QR codes on a real store: both images decode (jsQR, an independent decoder) to the
 * parcel's public page; malformed, mistyped and unknown codes are 404 (as on GET /api/v1/parcels/{code}), each saying which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLandCode } from '../contract/land-code.ts';
import { parcelPublicUrl, parcelQrSvg } from './parcel-qr.ts';
import { decodePng, decodeSvg } from '../../test/support/qr-decode.ts';
import { PUBLIC_BASE, startPageServer, type PageServer } from './parcel-page/test-fixtures.ts';
import { emptyStoreDir } from '../../test/support/server.ts';

describe('parcelPublicUrl and parcelQrSvg', () => {
  it('joins the base URL and /p/{code} with exactly one slash', () => {
    expect(parcelPublicUrl('https://a.example/', '330106-2026-00001-7')).toBe('https://a.example/p/330106-2026-00001-7');
    expect(parcelPublicUrl('https://a.example/city', '330106-2026-00001-7')).toBe('https://a.example/city/p/330106-2026-00001-7');
  });

  it('draws a QR code that decodes to the URL, with the code printed below and escaped', () => {
    const url = 'https://city.example.cn/p/330106-2026-00001-7?a=1&b=2';
    const svg = parcelQrSvg(url, '330106-2026-00001-7 <&>');
    expect(decodeSvg(svg)).toBe(url);
    expect(svg).toMatch(/<text [^>]*>330106-2026-00001-7 &lt;&amp;&gt;<\/text>/);
    expect(svg).not.toContain('<&>');
  });
});

describe('GET /api/v1/parcels/{code}/qr.png and qr.svg', () => {
  let s: PageServer;
  let code = '';
  beforeAll(async () => {
    // A copy of the run's migrated empty store: initdb in WASM would take 8–25 s.
    s = await startPageServer(await emptyStoreDir());
    code = (await s.addParcel({ name: 'QR' })).properties.code;
  });
  afterAll(() => s?.close());

  const get = (route: string) => fetch(`${s.url}/api/v1/parcels/${route}`);

  it('serves a PNG, 8 px per module with a 2-module margin, that decodes to the public page, cacheable for a day', async () => {
    const res = await get(`${code}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    const { text, width, version } = decodePng(Buffer.from(await res.arrayBuffer()));
    expect(text).toBe(`${PUBLIC_BASE}/p/${code}`);
    // A version-v symbol is 17 + 4v modules wide (ISO/IEC 18004).
    expect(width).toBe((17 + 4 * version + 2 * 2) * 8);
  });

  it('serves an SVG that decodes to the public page and prints the code', async () => {
    const res = await get(`${code}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    const svg = await res.text();
    expect(decodeSvg(svg)).toBe(`${PUBLIC_BASE}/p/${code}`);
    expect(svg).toContain(`>${code}</text>`);
  });

  it('reads a lower-case check character x as X (the error names the canonical code)', async () => {
    // No stored parcel ends in X here (sequence 1 gives 7), so this reaches the 404 with the canonical code.
    const withX = '330106-2026-00005-X';
    const res = await get(`${withX.toLowerCase()}/qr.png`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain(withX);
  });

  it('answers 404 saying the check character is wrong for a mistyped code', async () => {
    const wrong = code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');
    for (const ext of ['png', 'svg']) {
      const res = await get(`${wrong}/qr.${ext}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control') ?? '').not.toContain('public');
      const body = await res.json();
      expect(body.error.code).toBe('not_found');
      expect(body.error.message).toContain('check character');
      expect(body.error.details[0].path).toBe('code');
    }
  });

  it('answers 404 for text that is no land code and for a code never issued, saying which', async () => {
    const malformed = await get('not-a-code/qr.svg');
    expect(malformed.status).toBe(404);
    expect((await malformed.json()).error.message).toContain('is not a land code');
    const unknown = formatLandCode({ adcode: '330106', year: 2026, seq: 99_999 });
    const res = await get(`${unknown}/qr.png`);
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toBe(`no parcel has the land code ${unknown}`);
  });
});
