/**
 * Bench: `/api/v1/health` stays quick while the largest bodies intake accepts (at the default
 * limits: 20,000 CSV rows, a 20,000-feature GeoJSON collection, a CAP alert of 1,000 areas with a
 * 199,999-point polygon) are posted to a real server (child process) and parsed in its workers.
 * Ours: worst health latency while each body, every record spoilt, is read in full and refused
 * (parse alone, nothing stored). Each valid body is also posted twice, stored then re-posted as
 * duplicates, and those figures printed beside it: there the store's work on the main thread
 * (PGlite), not parsing, is what holds health. Baseline: the same bodies parsed
 * on the main thread the way the route did before (the adapters called synchronously here): the
 * event loop is held for the whole parse, so the stall is its duration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findStructuralProblem, scanJsonBody } from '../../server/http/geometry-guard.ts';
import { parseCapIncidents } from '../../server/ingest/cap.ts';
import { parseCsvIncidents } from '../../server/ingest/csv.ts';
import { parseJsonIncidents } from '../../server/ingest/json.ts';
import { DEFAULT_INTAKE_LIMITS as LIMITS } from '../../server/ingest/limits.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { startServerProcess } from '../../test/support/process.ts';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';

const TOKEN = 'bench-parse-stall-admin-token';
const POLL_MS = 10;
const TARGET_WORST_MS = 50;
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

interface Body {
  name: string;
  contentType: string;
  text: string;
  records: number;
}

function bodies(): Body[] {
  const r = mulberry32(99);
  const lat = () => (30 + r() * 0.3).toFixed(5);
  const lon = () => (120 + r() * 0.3).toFixed(5);
  const n = LIMITS.maxRecords;
  const csv = ['id,lat,lon,title,severity,category,occurredAt,reporter_name,note,district,unit,status'];
  for (let i = 0; i < n; i++) csv.push(`csv-${i},${lat()},${lon()},"pipe burst, ${i}",moderate,infrastructure,2026-11-23T08:00:00+08:00,张三,"line ${i}",H${i % 13},U${i % 7},open`);
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    id: `us-${i}`,
    geometry: { type: 'Point', coordinates: [Number(lon()), Number(lat()), 10] },
    properties: { mag: 1 + r() * 5, place: `${i} km N of somewhere`, time: 1_790_000_000_000 + i, updated: 1_790_000_000_000 + i, tz: null, url: 'https://example.org/q', detail: 'https://example.org/d', felt: null, cdi: null, mmi: null, alert: null, status: 'reviewed', tsunami: 0, sig: 100, net: 'us', code: `c${i}`, ids: `,us${i},`, sources: ',us,', types: ',origin,', nst: 20, dmin: 0.1, rms: 0.5, gap: 90, magType: 'mb', type: 'earthquake', title: `M ${i}` },
  }));
  const ring = Array.from({ length: LIMITS.maxPositions - 1 }, (_, k) => {
    const a = (2 * Math.PI * k) / (LIMITS.maxPositions - 1);
    return `${(30.2 + 0.1 * Math.sin(a)).toFixed(6)},${(120.2 + 0.1 * Math.cos(a)).toFixed(6)}`;
  });
  ring.push(ring[0]!);
  const infos = 8;
  const perInfo = LIMITS.capMaxAreas / infos;
  const cap = Array.from({ length: infos }, (_, i) => {
    const areas = Array.from({ length: perInfo }, (_, j) =>
      i === 0 && j === 0 ? `<area><areaDesc>big</areaDesc><polygon>${ring.join(' ')}</polygon></area>` : `<area><areaDesc>a${j}</areaDesc><circle>${lat()},${lon()} 2</circle></area>`,
    );
    return `<info><language>zh-CN</language><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><headline>flood ${i}</headline>${areas.join('')}</info>`;
  });
  const alert = `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="${NS}"><identifier>bench-parse-stall</identifier><sender>bench</sender><sent>2026-11-23T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>${cap.join('')}</alert>`;
  return [
    { name: 'CSV', contentType: 'text/csv', text: csv.join('\n'), records: n },
    { name: 'GeoJSON', contentType: 'application/geo+json', text: JSON.stringify({ type: 'FeatureCollection', features }), records: n },
    { name: 'CAP', contentType: 'application/cap+xml', text: alert, records: LIMITS.capMaxAreas },
  ];
}

/** The route before this change: express.json/text on the main thread, then the adapter. */
function parseOnMainThread(body: Body): number {
  const buf = Buffer.from(body.text);
  const started = performance.now();
  const options = { nowMs: Date.now() };
  if (body.contentType.includes('json')) {
    scanJsonBody(buf);
    const parsed: unknown = JSON.parse(buf.toString('utf8'));
    findStructuralProblem(parsed);
    parseJsonIncidents(parsed, options);
  } else if (body.contentType === 'text/csv') parseCsvIncidents(buf.toString('utf8'), options);
  else parseCapIncidents(buf.toString('utf8'), options);
  return performance.now() - started;
}

async function pollHealth(url: string, until: () => boolean): Promise<number[]> {
  const samples: number[] = [];
  while (!until()) {
    const started = performance.now();
    await (await fetch(`${url}/api/v1/health`)).arrayBuffer();
    samples.push(performance.now() - started);
    await sleep(POLL_MS);
  }
  return samples;
}

/** Posts `body` while health is polled; the worst poll and how long the post took. */
async function postPolled(url: string, body: Body, bytes: Uint8Array<ArrayBuffer>): Promise<{ worst: number; polls: number; ms: number; answer: string }> {
  let done = false;
  const started = performance.now();
  const post = fetch(`${url}/api/v1/incidents`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': body.contentType }, body: bytes })
    .then(async (res) => `${res.status} ${(await res.text()).slice(0, 80)}`)
    .finally(() => (done = true));
  const samples = await pollHealth(url, () => done);
  return { worst: Math.max(0, ...samples), polls: samples.length, ms: performance.now() - started, answer: await post };
}

export const parseStall: BenchCase = {
  name: 'parse-stall',
  async run(): Promise<BenchResult> {
    const all = bodies();
    const baseline = all.map((b) => ({ name: b.name, ms: parseOnMainThread(b) }));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-parse-'));
    const server = await startServerProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' });
    try {
      const rows: string[] = [];
      const failures: string[] = [];
      let oursWorst = 0;
      let firstWorst = 0;
      for (const body of all) {
        const bytes = new TextEncoder().encode(body.text);
        const first = await postPolled(server.url, body, bytes);
        const again = await postPolled(server.url, body, bytes);
        if (!first.answer.startsWith('201')) failures.push(`${body.name}: the first post answered ${first.answer}`);
        if (!again.answer.startsWith('200')) failures.push(`${body.name}: the re-post answered ${again.answer}`);
        firstWorst = Math.max(firstWorst, first.worst);
        oursWorst = Math.max(oursWorst, again.worst);
        rows.push(`${body.name} (${(bytes.length / 1e6).toFixed(1)} MB, ${body.records.toLocaleString('en-US')} records): stored in ${first.ms.toFixed(0)} ms, health worst ${first.worst.toFixed(0)} ms over ${first.polls} polls; re-posted (duplicates) in ${again.ms.toFixed(0)} ms, health worst ${again.worst.toFixed(0)} ms over ${again.polls} polls`);
      }
      // Parse alone: the same bodies with every record spoilt (a latitude of 95, a severity CAP does
      // not know) are read in full by the worker and refused 400; nothing reaches the store.
      let parseOnlyWorst = 0;
      const parseOnly: string[] = [];
      for (const body of all) {
        const spoilt = { ...body, text: body.text.replace(/,30\.(\d{5}),/g, ',95.$1,').replace(/\[(12\d\.\d+),30\./g, '[$1,95.').replace(/<severity>Severe</g, '<severity>Dire<') };
        const run = await postPolled(server.url, spoilt, new TextEncoder().encode(spoilt.text));
        if (!run.answer.startsWith('400')) failures.push(`${body.name} with every record spoilt answered ${run.answer}`);
        parseOnlyWorst = Math.max(parseOnlyWorst, run.worst);
        parseOnly.push(`${body.name} ${run.ms.toFixed(0)} ms (health worst ${run.worst.toFixed(0)} ms)`);
      }
      const baselineWorst = Math.max(...baseline.map((b) => b.ms));
      if (!(parseOnlyWorst <= TARGET_WORST_MS)) failures.push(`worst health latency while the bodies were parsed was ${parseOnlyWorst.toFixed(1)} ms, above the target of ${TARGET_WORST_MS} ms`);
      return {
        name: 'parse-stall',
        ours: parseOnlyWorst,
        baseline: baselineWorst,
        unit: 'ms worst',
        ratio: parseOnlyWorst / baselineWorst,
        notes: [
          'lower is better here: ours is the worst /health latency while the largest bodies are parsed by the server (in its worker; every record spoilt, so nothing is stored and the store is not measured); the baseline is the event loop held by parsing the same bodies on the main thread, as the route did before',
          `accepted bodies also pass their drafts back to the main thread and through PGlite there: health worst ${oursWorst.toFixed(0)} ms when re-posted (duplicates, nothing new stored), ${firstWorst.toFixed(0)} ms when first stored; not parsing, and outside this target`,
          ...rows,
          `baseline (adapters called synchronously in the bench process; the CAP adapter already lifts long polygon texts, which took it ~10 s before): ${baseline.map((b) => `${b.name} ${b.ms.toFixed(0)} ms`).join(', ')}`,
          `parse alone (every record spoilt, read in full and refused 400, nothing stored): ${parseOnly.join(', ')}; health worst ${parseOnlyWorst.toFixed(0)} ms`,
          `the re-posts still pass 20,000 drafts back to the main thread, through the store's duplicate check (PGlite, main thread) and into a 20,000-item answer: that, not parsing, is what remains of the stall`,
          `with the first posts, which store 20,000 + 20,000 + 1,000 incidents through PGlite on the main thread: health worst ${firstWorst.toFixed(0)} ms (store writes, not parsing)`,
          `server in a child process; health polled every ~${POLL_MS} ms; ${machineLoad()}`,
          `target: worst health latency while the bodies are parsed <= ${TARGET_WORST_MS} ms`,
        ],
        failures,
      };
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
