/**
 * Bench: snapshot size. A wall that was away longer than the event log keeps, or that
 * starts, loads every incident with `GET /api/v1/incidents` (a GeoJSON FeatureCollection). The real
 * server, on a store of 100,000 seeded synthetic incidents, is asked for it twice over HTTP: as a
 * browser asks (`Accept-Encoding: gzip, deflate, br`, so the server compresses it), and, the
 * baseline, as plain GeoJSON. Ours decompressed must be the baseline byte for byte.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { startServer } from '../../server/app.ts';
import { configFromEnv } from '../../server/config.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { INGEST_CHUNK } from '../../server/services/incidents.ts';
import { openPglite } from '../../server/store/database.ts';
import { insertIncidents } from '../../server/store/incidents.ts';
import { migrate } from '../../server/store/migrations.ts';
import { median, type BenchCase, type BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';
import { syntheticIncidents } from './synthetic-incidents.ts';

const INCIDENTS = 100_000;
const SEED = 11;
const ROUNDS = 3;
/** Compressed, the snapshot must be at most a fifth of the plain GeoJSON. */
const TARGET_RATIO = 5;
const TOKEN = 'bench-snapshot-token-0123456789';
const BROWSER_ENCODINGS = 'gzip, deflate, br';

interface Fetched {
  ms: number;
  encoding: string;
  body: Buffer;
}

function get(url: string, acceptEncoding: string | null): Promise<Fetched> {
  const start = performance.now();
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (acceptEncoding) headers['accept-encoding'] = acceptEncoding;
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
          else resolve({ ms: performance.now() - start, encoding: String(res.headers['content-encoding'] ?? 'identity'), body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

function decode(f: Fetched): Buffer {
  if (f.encoding === 'br') return brotliDecompressSync(f.body);
  if (f.encoding === 'gzip') return gunzipSync(f.body);
  if (f.encoding === 'identity') return f.body;
  throw new Error(`unexpected content-encoding ${f.encoding}`);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export const snapshot: BenchCase = {
  name: 'snapshot',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-snapshot-'));
    const failures: string[] = [];
    try {
      const fillStart = performance.now();
      // Where the server's store keeps its PGlite files inside DATA_DIR (server/store/index.ts).
      const db = await openPglite(path.join(dir, 'pglite'));
      await migrate(db);
      const rows = syntheticIncidents(mulberry32(SEED), INCIDENTS);
      for (let start = 0; start < rows.length; start += INGEST_CHUNK) {
        await insertIncidents(db, rows.slice(start, start + INGEST_CHUNK), { name: 'bench', role: 'admin' });
      }
      await db.close();
      const fillMs = performance.now() - fillStart;

      const config = configFromEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DEMO_DATA: 'off', ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' }, 'bench');
      const server = await startServer(config, { logger: pino({ level: 'silent' }) });
      try {
        const url = `${server.url}/api/v1/incidents`;
        const ours: Fetched[] = [];
        const plain: Fetched[] = [];
        const gzipOnly: Fetched[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          ours.push(await get(url, BROWSER_ENCODINGS));
          plain.push(await get(url, null));
          gzipOnly.push(await get(url, 'gzip'));
        }
        const [o, b, g] = [ours[0], plain[0], gzipOnly[0]] as [Fetched, Fetched, Fetched];
        if (o.encoding === 'identity') failures.push('the server sent the snapshot uncompressed to a client that accepts br and gzip');
        if (b.encoding !== 'identity') failures.push(`the baseline (no Accept-Encoding) came ${b.encoding}-encoded`);
        if (!decode(o).equals(b.body)) failures.push(`the ${o.encoding} snapshot decompressed differs from the plain GeoJSON`);
        if (!decode(g).equals(b.body)) failures.push('the gzip snapshot decompressed differs from the plain GeoJSON');
        const parsed = JSON.parse(b.body.toString('utf8')) as { type: string; features: unknown[] };
        if (parsed.type !== 'FeatureCollection' || parsed.features.length !== INCIDENTS) {
          failures.push(`the snapshot holds ${parsed.features.length} features, expected ${INCIDENTS}`);
        }
        const ratio = b.body.length / o.body.length;
        if (!(ratio >= TARGET_RATIO)) failures.push(`compressed snapshot is only ${ratio.toFixed(1)}× smaller than the GeoJSON; the target is ${TARGET_RATIO}×`);
        const perKb = (bytes: number) => INCIDENTS / (bytes / 1000);
        const ms = (xs: Fetched[]) => `${(median(xs.map((f) => f.ms)) / 1000).toFixed(2)} s`;
        return {
          name: 'snapshot',
          ours: perKb(o.body.length),
          baseline: perKb(b.body.length),
          unit: 'incidents/kB',
          ratio,
          targetRatio: TARGET_RATIO,
          notes: [
            `${INCIDENTS.toLocaleString('en-US')} seeded synthetic incidents (seed ${SEED}) stored in a fresh PGlite folder in ${(fillMs / 1000).toFixed(1)} s; served by the real server (admin token: reporters unmasked)`,
            `GET /api/v1/incidents: ${o.encoding} ${mb(o.body.length)} (${(o.body.length / INCIDENTS).toFixed(0)} B per incident), gzip ${mb(g.body.length)} (${(b.body.length / g.body.length).toFixed(1)}x), plain GeoJSON ${mb(b.body.length)} (${(b.body.length / INCIDENTS).toFixed(0)} B per incident); decompressed, both equal the plain body byte for byte`,
            `time to the last byte over loopback, median of ${ROUNDS}: ${o.encoding} ${ms(ours)}, gzip ${ms(gzipOnly)}, plain ${ms(plain)} (compression runs in zlib's thread pool, off the event loop)`,
            `machine: ${loadBefore} before, ${machineLoad()} after`,
            `target: the snapshot a browser receives <= 1/${TARGET_RATIO} of the plain GeoJSON`,
          ],
          failures,
        };
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
