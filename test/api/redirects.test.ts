/**
 * No redirect leaves the site: the sign-in-by-link redirect (which drops `?token=` from the address
 * bar), the parcel page's look-up and canonical-code redirects and the static files' folder
 * redirect, each given addresses that a URL parser or a browser reads as another host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameSiteAddress } from '../../server/http/auth.ts';
import { closeRawClient, rawRequest } from '../support/hostile-requests.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Paths (as sent on the wire) that point elsewhere once parsed, normalised or followed. */
const ESCAPES = [
  '/.//evil.example/',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/\\\\evil.example',
  '/./\\evil.example',
  '/..//evil.example',
  '/a/..//evil.example/x',
  '/%2F%2Fevil.example',
  '/%5C%5Cevil.example',
  '/%2e//evil.example',
  '/.%2F/evil.example',
  '//',
  '/',
];

/** A Location that stays here: one `/`, then neither `/` nor `\`, and no host of its own. */
function staysOnSite(location: string | undefined): boolean {
  if (location === undefined) return true;
  return /^\/(?![/\\])/.test(location) && new URL(location, 'http://site.test').host === 'site.test';
}

let s: TestServer;
let clientDir: string;
let code = '';
beforeAll(async () => {
  clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-redirects-client-'));
  fs.mkdirSync(path.join(clientDir, 'assets'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>City Brain</title>');
  s = await startTestServer({ demoData: false, clientDir });
  const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
  await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 10_000 } }] });
  code = (await api(s, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.01, 30.01, 0.001) }, properties: { landUse: '07' } })).body.properties.code;
});
afterAll(async () => {
  closeRawClient();
  await s?.close();
  fs.rmSync(clientDir, { recursive: true, force: true });
});

describe('redirects stay on the site', () => {
  it('sameSiteAddress keeps the path and the other parameters, and only ever a path', () => {
    expect(sameSiteAddress('/wall?token=abc&lang=en')).toBe('/wall?lang=en');
    expect(sameSiteAddress('/?token=abc')).toBe('/');
    expect(sameSiteAddress('/.//evil.example/?token=x')).toBe('/evil.example/');
    expect(sameSiteAddress('//evil.example?token=x')).toBe('/evil.example');
    expect(sameSiteAddress('/\\evil.example?token=x')).toBe('/evil.example');
    for (const escape of ESCAPES) expect(staysOnSite(sameSiteAddress(`${escape}?token=x`)), escape).toBe(true);
  });

  it('signing in by link, with a valid or a refused token, redirects within the site', async () => {
    let redirected = 0;
    for (const escape of ESCAPES) {
      for (const token of [s.adminToken, 'not-a-token']) {
        for (const query of [`?token=${token}`, `?lang=en&token=${token}`, `?token=${token}&next=//evil.example`]) {
          const res = await rawRequest(s.url, 'GET', `${escape}${query}`, { host: 'site.test' });
          expect(res.status, `${escape}${query}`).toBeLessThan(500);
          expect(staysOnSite(res.headers.location), `${escape}${query} → ${res.headers.location}`).toBe(true);
          if (res.status === 302) redirected++;
        }
      }
    }
    // Most of them are redirects at all (a few are refused as malformed first): the check above bites.
    expect(redirected).toBeGreaterThan(ESCAPES.length * 4);
    const signedIn = await rawRequest(s.url, 'GET', `/.//evil.example/?token=${s.adminToken}`);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.location).toBe('/evil.example/');
    expect(String(signedIn.headers['set-cookie'])).toContain('citybrain_token=');
  });

  it('the parcel look-up, the canonical code and the static folders redirect within the site', async () => {
    const paths = [
      '/p?code=//evil.example',
      '/p?code=%5C%5Cevil.example',
      '/p?code=/evil.example',
      '/p?code=..%2F..%2F%2F%2Fevil.example',
      `/p?code=${code}&lang=en`,
      `/p/${code.slice(0, -1)}${code.endsWith('0') ? '0' : code.at(-1)}%20`,
      `/p/%20${code}`,
      '/assets',
      '//assets',
      '/.//assets',
    ];
    for (const p of paths) {
      const res = await rawRequest(s.url, 'GET', p, { host: 'site.test' });
      expect(res.status, p).toBeLessThan(500);
      expect(staysOnSite(res.headers.location), `${p} → ${res.headers.location}`).toBe(true);
    }
  });
});
