/**
 * Tokens (docs/domain.md §2.3): issued with an optional expiry, listed without secrets, revoked by id;
 * a revocation ends open sockets within a second; the store holds only hashes.
 */
import { createHash } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let s: TestServer;
const sockets: Client[] = [];

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
});
afterAll(async () => {
  for (const c of sockets) c.disconnect();
  await s?.close();
});

function open(token: string): Client {
  const c: Client = connect(s.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(c);
  return c;
}
const connected = (c: Client) =>
  new Promise<void>((resolve, reject) => {
    c.once('replay:done', () => resolve());
    c.once('connect_error', reject);
  });
const refused = (c: Client) => new Promise<string>((resolve) => c.once('connect_error', (e) => resolve(e.message)));

describe('tokens', () => {
  it('issues a token with an id, lists it without the secret, and stores only its SHA-256', async () => {
    const issued = await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'planning bureau' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ role: 'planner', name: 'planning bureau', expiresAt: null });
    expect(issued.body.id).toMatch(/^tok_/);
    const list = await api(s, 'GET', '/api/v1/tokens');
    const entry = list.body.tokens.find((t: { id: string }) => t.id === issued.body.id);
    expect(entry).toMatchObject({ role: 'planner', name: 'planning bureau', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(issued.body.token);
    // Read every column of every row straight from the store: the secret is nowhere, its hash is.
    const rows = await s.server.store.db.query<Record<string, unknown>>('SELECT * FROM tokens');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(issued.body.token);
    expect(dump).toContain(createHash('sha256').update(issued.body.token).digest('hex'));
  });

  it('refuses bad requests naming the field', async () => {
    const both = await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'x', ttlSeconds: 60, expiresAt: '2099-01-01T00:00:00Z' });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('ttlSeconds');
    const past = await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'x', expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toContain('expiresAt');
    expect((await api(s, 'DELETE', '/api/v1/tokens/tok_nope')).status).toBe(404);
  });

  it('a revoked token is refused at once with a message saying so, and its open socket ends within 1 s', async () => {
    const { id, token } = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby wall' })).body;
    expect((await api(s, 'GET', '/api/v1/regions', undefined, { token })).status).toBe(200);
    const wall = open(token);
    await connected(wall);
    const ended = new Promise<{ reason: string; at: number }>((resolve) => wall.once('session:ended', (e) => resolve({ reason: e.reason, at: Date.now() })));
    const gone = new Promise<number>((resolve) => wall.once('disconnect', () => resolve(Date.now())));
    const revoke = await api(s, 'DELETE', `/api/v1/tokens/${id}`);
    const answered = Date.now();
    expect(revoke.status).toBe(204);
    const [e, disconnectedAt] = await Promise.all([ended, gone]);
    expect(e.reason).toBe('revoked');
    expect(disconnectedAt - answered).toBeLessThan(1000);
    const after = await api(s, 'GET', '/api/v1/regions', undefined, { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/lobby wall.*revoked/);
    expect(await refused(open(token))).toMatch(/unauthori[sz]ed/);
    // Revoking again changes nothing and still answers 204.
    expect((await api(s, 'DELETE', `/api/v1/tokens/${id}`)).status).toBe(204);
    const listed = (await api(s, 'GET', '/api/v1/tokens')).body.tokens.find((t: { id: string }) => t.id === id);
    expect(listed.revokedBy).toBe('admin');
  });

  it('an expired token is refused and its socket is ended at expiry', async () => {
    const { token, expiresAt } = (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: 'day contractor', ttlSeconds: 2 })).body;
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(500);
    const c = open(token);
    await connected(c);
    const reason = await new Promise<string>((resolve) => c.once('session:ended', (e) => resolve(e.reason)));
    expect(reason).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    const after = await api(s, 'GET', '/api/v1/incidents', undefined, { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/expired/);
  });

  it('only an administrator may manage tokens', async () => {
    const planner = (await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'p' })).body.token;
    expect((await api(s, 'GET', '/api/v1/tokens', undefined, { token: planner })).status).toBe(403);
    expect((await api(s, 'POST', '/api/v1/tokens', { role: 'admin', name: 'me' }, { token: planner })).status).toBe(403);
    expect((await api(s, 'DELETE', '/api/v1/tokens/tok_x', undefined, { token: planner })).status).toBe(403);
  });
});
