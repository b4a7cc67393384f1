/**
 * Cross-node fan-out for the PostgreSQL event store: tells this node's listeners that a store's head
 * moved, whichever node appended.
 *
 * - `published(storeId, head)` is called after an append COMMITTED on this node: local listeners hear
 *   it at once; other nodes by `pg_notify(channel, storeId || ':' || head)`, sent outside the append's
 *   transaction and coalesced per store (at most one NOTIFY in flight, the latest head wins).
 * - A dedicated LISTEN connection (not from the pool: LISTEN is per session) turns notifications into
 *   listener calls; it reconnects with backoff on error and then polls, because notifications sent
 *   while it was away are gone.
 * - A notification is a hint, never the data: listeners re-read by cursor, so a duplicate or spurious
 *   call costs one read, and a lost one only delays. The poll fallback (every `pollIntervalMs`, or
 *   `poll()` on demand) reads the heads of the watched stores and reports those that moved.
 * - Watched = stores this node touched (read, head, append) or heard of, least recently used dropped
 *   beyond `maxWatchedStores`. Per store we keep the last head reported, and report only higher ones.
 */
import { Client } from 'pg';
import type { Pool } from 'pg';
import type { PostgresEventStoreLog } from './postgres-event-store.ts';

export type AppendedListener = (storeId: string, head: number) => void;

export interface PostgresEventStoreFanoutOptions {
  readonly connectionString: string;
  readonly pool: Pool;
  readonly channel: string;
  readonly nodeName: string;
  readonly pollIntervalMs: number;
  readonly maxWatchedStores: number;
  readonly readHeads: (storeIds: readonly string[]) => Promise<Map<string, number>>;
  readonly log?: PostgresEventStoreLog | undefined;
}

export interface PostgresEventStoreFanout {
  published(storeId: string, head: number): void;
  watch(storeId: string): void;
  poll(storeIds?: readonly string[]): Promise<void>;
  onAppended(listener: AppendedListener): () => void;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 5_000;

export async function createPostgresEventStoreFanout(o: PostgresEventStoreFanoutOptions): Promise<PostgresEventStoreFanout> {
  const listeners = new Set<AppendedListener>();
  const reported = new Map<string, number>(); // insertion order = LRU order
  const pendingNotify = new Map<string, number>();
  const drains = new Map<string, Promise<void>>();
  let listenClient: Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let backoffMs = 100;
  let polling: Promise<void> | undefined;
  let reconnecting: Promise<void> | undefined;
  let closed = false;

  const touch = (storeId: string, head: number): void => {
    reported.delete(storeId);
    reported.set(storeId, head);
    if (reported.size > o.maxWatchedStores) {
      const oldest = reported.keys().next().value;
      if (oldest !== undefined) reported.delete(oldest);
    }
  };

  const advance = (storeId: string, head: number): void => {
    const last = reported.get(storeId) ?? 0;
    touch(storeId, Math.max(last, head));
    if (head <= last || closed) return;
    for (const listener of [...listeners]) {
      try {
        listener(storeId, head);
      } catch (err) {
        o.log?.('error', 'onAppended listener threw', { storeId, head, error: String(err) });
      }
    }
  };

  const drain = async (storeId: string): Promise<void> => {
    for (let head = pendingNotify.get(storeId); head !== undefined; head = pendingNotify.get(storeId)) {
      pendingNotify.delete(storeId);
      try {
        await o.pool.query('SELECT pg_notify($1, $2)', [o.channel, `${storeId}:${head}`]);
      } catch (err) {
        // Other nodes catch up by their poll; nothing is lost.
        o.log?.('warn', 'pg_notify failed', { storeId, head, error: String(err) });
      }
    }
    drains.delete(storeId);
  };

  const onNotification = (payload: string | undefined): void => {
    const sep = payload?.lastIndexOf(':') ?? -1;
    const head = sep > 0 ? Number(payload?.slice(sep + 1)) : NaN;
    if (payload === undefined || !Number.isSafeInteger(head)) {
      o.log?.('warn', 'ignored malformed notification', { payload });
      return;
    }
    advance(payload.slice(0, sep), head);
  };

  const poll = (storeIds?: readonly string[]): Promise<void> => {
    const ids = storeIds ?? [...reported.keys()];
    if (ids.length === 0 || closed) return Promise.resolve();
    return o.readHeads(ids).then((heads) => {
      for (const [storeId, head] of heads) advance(storeId, head);
    });
  };

  const pollInBackground = (): void => {
    if (polling || closed) return;
    polling = poll()
      .catch((err: unknown) => o.log?.('warn', 'poll for missed appends failed', { error: String(err) }))
      .finally(() => { polling = undefined; });
  };

  const connectListener = async (): Promise<void> => {
    const client = new Client({ connectionString: o.connectionString, application_name: `ls-sync-listen:${o.nodeName}` });
    const lost = (err?: Error): void => {
      if (listenClient !== client) return; // failed while connecting (the caller sees that) or replaced
      listenClient = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (closed) return;
      o.log?.('warn', 'LISTEN connection lost; reconnecting', { error: err ? String(err) : 'ended' });
      scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === o.channel) onNotification(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${o.channel}"`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    listenClient = client;
  };

  const scheduleReconnect = (): void => {
    if (reconnectTimer || closed) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      reconnecting = connectListener().then(
        () => {
          backoffMs = 100;
          pollInBackground(); // notifications sent while we were away are gone
        },
        (err: unknown) => {
          o.log?.('warn', 'LISTEN reconnect failed', { error: String(err), retryInMs: backoffMs });
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
          scheduleReconnect();
        },
      ).finally(() => { reconnecting = undefined; });
    }, backoffMs);
    reconnectTimer.unref();
  };

  await connectListener();
  const pollTimer = o.pollIntervalMs > 0 ? setInterval(pollInBackground, o.pollIntervalMs) : undefined;
  pollTimer?.unref();

  return {
    published(storeId, head) {
      advance(storeId, head);
      if (closed) return;
      pendingNotify.set(storeId, Math.max(head, pendingNotify.get(storeId) ?? 0));
      if (!drains.has(storeId)) drains.set(storeId, drain(storeId));
    },
    watch(storeId) {
      touch(storeId, reported.get(storeId) ?? 0);
    },
    poll,
    onAppended(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pollTimer);
      clearTimeout(reconnectTimer);
      await Promise.all([...drains.values(), polling, reconnecting]);
      const client = listenClient;
      listenClient = undefined;
      await client?.end().catch(() => {});
    },
  };
}
