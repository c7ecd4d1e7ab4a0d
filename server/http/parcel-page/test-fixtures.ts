/**
 * For the tests of the public parcel page and QR routes: a real store (PGlite in a temp folder)
 * with parcels issued through the store itself, and the two routers served on port 0.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { pino } from 'pino';
import type { ParcelFeature, ParcelStepInput } from '../../contract/parcels.ts';
import { measureParcel } from '../../domain/parcels/geometry.ts';
import { openStore, type Store } from '../../store/index.ts';
import { issueParcels, stepParcel } from '../../store/parcels.ts';
import { errorHandler } from '../errors.ts';
import { parcelPageRouter } from '../parcel-page.ts';
import { parcelQrRouter } from '../parcel-qr.ts';

/** Someone who records steps: a person, whose name must never reach the public page. */
export const RECORDER = { name: '张三丰', role: 'planner' };
/** A note with personal data in it: the public page must not show notes. */
export const PRIVATE_NOTE = '联系人李四 13800138000';
export const PUBLIC_BASE = 'https://city.example.cn';

export interface PageServer {
  url: string;
  store: Store;
  /** Issues a parcel (stage `planned`) around `[lon, lat]`, 0.001° square. */
  addParcel(fields: { adcode?: string; name?: string; synthetic?: boolean; hazardous?: boolean; lon?: number; lat?: number }): Promise<ParcelFeature>;
  step(code: string, input: ParcelStepInput): Promise<void>;
  close(): Promise<void>;
}

/** `dataDir`: a folder holding a store to open (a test's copy of a migrated one); a new one by default. Removed on close. */
export async function startPageServer(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-parcel-page-'))): Promise<PageServer> {
  const store = await openStore({ dataDir });
  const app = express();
  app.use('/api/v1/parcels', parcelQrRouter({ db: store.db, publicBaseUrl: () => ({ url: PUBLIC_BASE, variesWithHost: false }) }));
  app.use('/p', parcelPageRouter({ db: store.db, timeZone: 'Asia/Shanghai' }));
  app.use(errorHandler(pino({ level: 'silent' })));
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  let clockMs = Date.parse('2026-03-01T02:30:00Z');
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    async addParcel({ adcode = '330106', name = '', synthetic = false, hazardous = false, lon = 120.15, lat = 30.27 }) {
      const geometry = { type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat + 0.001], [lon, lat]]] as [number, number][][] };
      const { areaM2, center, bbox } = measureParcel(geometry);
      const [parcel] = await issueParcels(
        store.db,
        [
          {
            adcode,
            year: 2026,
            landUse: '07',
            hazardous,
            name,
            address: '西湖区文三路 1 号',
            geometry,
            center,
            bbox,
            areaM2,
            synthetic,
            planned: { department: '杭州市规划和自然资源局', documents: [{ title: '控制性详细规划批复', number: '杭规批〔2026〕7号', issuedAt: '2026-02-20' }], note: PRIVATE_NOTE },
          },
        ],
        RECORDER,
        clockMs,
        true,
      );
      return parcel!;
    },
    async step(code, input) {
      clockMs += 86_400_000;
      const outcome = await stepParcel(store.db, code, input, RECORDER, clockMs);
      if (outcome.kind !== 'stepped') throw new Error(`step ${input.step} of ${code} was not recorded: ${outcome.kind}`);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
