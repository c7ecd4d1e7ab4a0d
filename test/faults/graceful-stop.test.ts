/**
 * A graceful stop (docs/reliability.md): SIGTERM lets a request that is still arriving finish and
 * be stored, refuses new connections, tells sockets why, releases the lock and exits 0.
 */
import fs from 'node:fs';
import http from 'node:http';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api, tempDataDir } from '../support/server.ts';

const ADMIN_TOKEN = 'graceful-stop-admin-token';
const dataDir = tempDataDir();
const env = { DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN, SHUTDOWN_GRACE_SECONDS: '15', LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
let running: ServerProcess | undefined;

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('drains the request in flight, refuses new ones, tells sockets, and exits 0', async () => {
    running = await startServerProcess(env);
    const url = new URL(running.url);
    const socket = connect(running.url, { auth: { token: ADMIN_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise((r) => socket.once('replay:done', r));
    const closing = new Promise<string>((resolve) => socket.once('server:closing', (e) => resolve(e.reason)));

    // A batch whose body is still arriving when SIGTERM comes.
    const body = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ source: 'drain', externalId: `d${i}`, lat: 30, lon: 120 })));
    const half = Math.floor(body.length / 2);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: '/api/v1/incidents', method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      setTimeout(() => running!.child.kill('SIGTERM'), 300);
      // The rest arrives well after the stop began.
      setTimeout(() => req.end(body.slice(half)), 1500);
    });

    // Meanwhile, a new connection is refused (not left hanging).
    await new Promise((r) => setTimeout(r, 900));
    const late = await fetch(`${running.url}/api/v1/health`).then(
      (res) => `answered ${res.status}`,
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    );
    expect(late).toMatch(/ECONNREFUSED|ECONNRESET/);

    const res = await answer;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).accepted).toBe(200);
    expect(await closing).toBe('shutdown');
    expect(await running.exited).toBe(0);
    expect(fs.existsSync(`${dataDir}/server.lock`)).toBe(false);
    expect(running.output()).toMatch(/1 open request\(s\) finished first/);
    socket.disconnect();

    running = await startServerProcess(env);
    const list = await api({ url: running.url, adminToken: ADMIN_TOKEN }, 'GET', '/api/v1/incidents?limit=1000');
    expect(list.body.features.filter((f: { properties: { source: string } }) => f.properties.source === 'drain')).toHaveLength(200);
  }, 120_000);
});
