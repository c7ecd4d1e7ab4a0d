import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import express from 'express';
import { PbfReader } from 'pbf';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/errors.ts';
import type { ParcelTileSource } from './parcel-tiles.ts';
import { parcelTilesRouter, type ParcelTilesRouter } from './router.ts';

const TOKEN = 'viewer-token';
const PARCEL: ParcelTileSource = {
  geometry: { type: 'Polygon', coordinates: [[[120.17, 30.25], [120.171, 30.25], [120.171, 30.251], [120.17, 30.251], [120.17, 30.25]]] },
  properties: { code: '330106-2026-00001-5', landUse: '05', stage: 'supplied', hazardous: false },
};
// z14 tile of 120.1705° E, 30.2505° N by the slippy-map formula: x = ⌊(lon + 180) / 360 · 2^z⌋ = 13661,
// y = ⌊(1 − ln(tan φ + sec φ) / π) / 2 · 2^z⌋ = 6746.
const Z14 = '/tiles/parcels/14/13661/6746.pbf';

let server: http.Server;
let base: string;
let tiles: ParcelTilesRouter;
let stored: ParcelTileSource[] = [PARCEL];

beforeAll(async () => {
  tiles = parcelTilesRouter({
    load: async () => stored,
    resolveToken: async (token) => (token === TOKEN ? { role: 'viewer', name: 'wall' } : null),
  });
  const app = express();
  app.use('/tiles', tiles.router);
  app.use(errorHandler(pino({ level: 'silent' })));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  tiles.close();
  await new Promise((resolve) => server.close(resolve));
});

/** Raw GET (node's http, so no transparent decompression hides Content-Encoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const signedIn = { authorization: `Bearer ${TOKEN}` };

describe('GET /tiles/parcels/{z}/{x}/{y}.pbf', () => {
  it('needs a signed-in user: 401 without a token or with a bad one, the sign-in cookie works like the header', async () => {
    expect((await get(Z14)).status).toBe(401);
    expect((await get(Z14, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get(Z14, { cookie: `citybrain_token=${TOKEN}` })).status).toBe(200);
  });

  it('serves the tile as application/x-protobuf with the parcel in layer "parcels"', async () => {
    const res = await get(Z14, signedIn);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-protobuf');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers['content-encoding']).toBeUndefined();
    const layer = new VectorTile(new PbfReader(res.body)).layers.parcels;
    expect(layer?.length).toBe(1);
    expect(layer?.feature(0).properties).toEqual(PARCEL.properties);
  });

  it('gzips for clients that accept it, with its own ETag', async () => {
    const plain = await get(Z14, signedIn);
    const zipped = await get(Z14, { ...signedIn, 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body)).toEqual(plain.body);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
  });

  it('answers 304 without a body while the tile is unchanged, 200 with the new tile after a change', async () => {
    const first = await get(Z14, signedIn);
    const etag = String(first.headers.etag);
    const again = await get(Z14, { ...signedIn, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    stored = [{ ...PARCEL, properties: { ...PARCEL.properties, stage: 'planning_permit' } }];
    tiles.invalidate();
    const changed = await get(Z14, { ...signedIn, 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(new VectorTile(new PbfReader(changed.body)).layers.parcels?.feature(0).properties.stage).toBe('planning_permit');
  });

  it('answers 204 where no parcel lies', async () => {
    const res = await get('/tiles/parcels/14/0/0.pbf', signedIn);
    expect(res.status).toBe(204);
    expect(res.body.length).toBe(0);
  });

  it('answers 400 with a readable message for an address that is no tile', async () => {
    for (const path of ['/tiles/parcels/17/0/0.pbf', '/tiles/parcels/2/4/0.pbf', '/tiles/parcels/a/0/0.pbf', '/tiles/parcels/14/1/2.png', '/tiles/parcels/14/1']) {
      const res = await get(path, signedIn);
      expect(res.status, path).toBe(400);
      const body = JSON.parse(res.body.toString('utf8')) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_query');
      expect(body.error.message).toContain('z from 0 to 16');
    }
  });
});
