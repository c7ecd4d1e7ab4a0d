/** Leadership on a shared PostgreSQL: whoever holds a session-level advisory lock leads. */
import pg from 'pg';
import type { Leadership } from './leadership.ts';

/**
 * Key of the session lock the leader node holds (it stores derived events: risk changes, decay).
 * Distinct from the store's write and start-up lock keys in store/postgres.ts.
 */
const LEADER_LOCK = 0x63697481;

/**
 * Holds a session-level advisory lock on a connection of its own: whoever holds it leads; when that
 * node dies its connection closes, the lock is freed, and the next node to try (every `retryMs`)
 * takes over.
 */
export async function advisoryLockLeadership(url: string, options: { retryMs?: number; onError?: (err: Error) => void; onOk?: () => void } = {}): Promise<Leadership> {
  const retryMs = options.retryMs ?? 2000;
  const listeners: ((leader: boolean) => void)[] = [];
  let client: pg.Client | null = null;
  let leader = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const set = (next: boolean) => {
    if (next === leader) return;
    leader = next;
    for (const l of listeners) l(next);
  };

  async function attempt(): Promise<void> {
    if (closed) return;
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: url, application_name: 'citybrain-leader' });
        c.on('error', (err) => {
          options.onError?.(err);
          if (client === c) client = null;
          set(false);
          void c.end().catch(() => undefined);
        });
        await c.connect();
        client = c;
      }
      if (!leader) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
        if (rows[0]?.ok) set(true);
      }
      options.onOk?.();
    } catch (err) {
      options.onError?.(err as Error);
      set(false);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    }
    if (!closed) timer = setTimeout(() => void attempt(), retryMs);
  }

  await attempt();
  return {
    isLeader: () => leader,
    onChange: (listener) => void listeners.push(listener),
    async close() {
      closed = true;
      clearTimeout(timer);
      set(false);
      await client?.end().catch(() => undefined);
    },
  };
}
