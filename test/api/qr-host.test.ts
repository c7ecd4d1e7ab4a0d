/**
 * A parcel's QR code names a site we trust, never whatever `Host` the request carried: with no
 * `PUBLIC_URL`, only the server's own address, localhost and `PUBLIC_HOSTS` may appear in it, any
 * other Host gets the server's own address, and the answer (cached publicly for a day) varies by
 * Host. With `PUBLIC_URL`, the QR code always says it and does not vary. Decoded with jsQR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../server/config.ts';
import { closeRawClient, rawRequest } from '../support/hostile-requests.ts';
import { decodePng, decodeSvg } from '../support/qr-decode.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const FORGED = ['evil.example', 'evil.example:80', `127.0.0.1.evil.example`, 'localhost.evil.example', 'LOCALHOST:1', '[::1]:1', '', 'citybrain.example.org:8443'];

async function withParcel(s: TestServer): Promise<string> {
  await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 10_000 } }] });
  return (await api(s, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.01, 30.01, 0.001) }, properties: { landUse: '07' } })).body.properties.code;
}

/** What both QR images of `code` say when asked with `host`, and the caching headers of each. */
async function qr(s: TestServer, code: string, host: string): Promise<{ svg: string | null; png: string | null; vary: string[]; cache: string[] }> {
  const svg = await rawRequest(s.url, 'GET', `/api/v1/parcels/${code}/qr.svg`, { host });
  const png = await rawRequest(s.url, 'GET', `/api/v1/parcels/${code}/qr.png`, { host });
  expect(svg.status, host).toBe(200);
  const header = (name: string) => [String(svg.headers[name] ?? ''), String(png.headers[name] ?? '')];
  return { svg: decodeSvg(svg.body), png: decodePng(png.bytes).text, vary: header('vary'), cache: header('cache-control') };
}

describe('PUBLIC_HOSTS', () => {
  it('takes bare host names and host:port, and refuses anything else with a readable message', () => {
    const hosts = (value: string) => configFromEnv({ PUBLIC_HOSTS: value }, 'test').publicHosts;
    expect(hosts('')).toEqual([]);
    expect(hosts(' City.Example.org , 10.0.0.5:3000,[::1]:8080 ')).toEqual(['city.example.org', '10.0.0.5:3000', '[::1]:8080']);
    for (const bad of ['http://city.example.org', 'city.example.org/p', 'user@city.example.org', 'a b', 'host:99999']) {
      expect(() => hosts(bad), bad).toThrow(ConfigError);
      expect(() => hosts(bad), bad).toThrow(/PUBLIC_HOSTS must list host names/);
    }
  });
});

describe('without PUBLIC_URL', () => {
  let s: TestServer;
  let code = '';
  let own = '';
  beforeAll(async () => {
    s = await startTestServer({ demoData: false, env: { PUBLIC_HOSTS: 'city.example.org,10.9.8.7:3000' } });
    code = await withParcel(s);
    own = new URL(s.url).host;
  });
  afterAll(async () => {
    closeRawClient();
    await s?.close();
  });

  it('never puts a forged Host into the QR code: it names the address the server was reached at', async () => {
    for (const host of FORGED) {
      const seen = await qr(s, code, host);
      expect(seen.svg, `Host: ${host}`).toBe(`http://${own}/p/${code}`);
      expect(seen.png, `Host: ${host}`).toBe(`http://${own}/p/${code}`);
    }
  });

  it('uses its own address, localhost and the listed hosts as asked', async () => {
    const port = new URL(s.url).port;
    for (const host of [own, `localhost:${port}`, 'city.example.org', 'CITY.example.org', '10.9.8.7:3000']) {
      const seen = await qr(s, code, host);
      expect(seen.svg, host).toBe(`http://${host.toLowerCase()}/p/${code}`);
      expect(seen.png, host).toBe(`http://${host.toLowerCase()}/p/${code}`);
    }
  });

  it('is cached publicly for a day, separately per Host', async () => {
    const seen = await qr(s, code, 'evil.example');
    for (const cache of seen.cache) expect(cache).toBe('public, max-age=86400');
    for (const vary of seen.vary) expect(vary.split(/\s*,\s*/).map((v) => v.toLowerCase())).toContain('host');
  });
});

describe('with PUBLIC_URL', () => {
  let s: TestServer;
  let code = '';
  beforeAll(async () => {
    s = await startTestServer({ demoData: false, env: { PUBLIC_URL: 'https://citybrain.example.org/city/' } });
    code = await withParcel(s);
  });
  afterAll(async () => {
    closeRawClient();
    await s?.close();
  });

  it('always names PUBLIC_URL, whatever the Host, and does not vary by Host', async () => {
    for (const host of ['evil.example', new URL(s.url).host, 'localhost']) {
      const seen = await qr(s, code, host);
      expect(seen.svg, host).toBe(`https://citybrain.example.org/city/p/${code}`);
      expect(seen.png, host).toBe(`https://citybrain.example.org/city/p/${code}`);
      for (const vary of seen.vary) expect(vary.toLowerCase()).not.toContain('host');
      for (const cache of seen.cache) expect(cache).toBe('public, max-age=86400');
    }
  });
});
