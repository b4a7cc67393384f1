/**
 * The sync server: an HTTP server that upgrades to WebSocket and serves the sync protocol
 * (src/core/sync-protocol.ts) on top of an EventStore (SQLite embedded, PostgreSQL for several
 * nodes). One store's log has one global order, fixed by the event store's append rule.
 *
 * Pieces: sync-connection.ts (a connection: parse, order, reply), push-handler.ts (dedupe, append,
 * ok/rejected), push-turns.ts (the progress guarantee), connection-downstream.ts (gap-free pull
 * streams), sync-hub.ts (per-store fan-out), sync-limits.ts. An event store that spans nodes
 * reports others' appends through `onAppended`, which feeds the hub.
 *
 * `close()` stops accepting, closes every connection (1001), lets requests in flight finish (an
 * append that started completes; its ack may not reach the client, which then resends and is
 * deduplicated), and never closes the event store: whoever made it owns it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { LsError } from '../src/core/errors.ts';
import { SYNC_CLOSE_CODES } from '../src/core/sync-protocol.ts';
import type { EventStore } from './event-store.ts';
import { systemClock } from './push-turns.ts';
import type { SyncClock } from './push-turns.ts';
import { serveConnection } from './sync-connection.ts';
import type { ValidatePayload } from './sync-connection.ts';
import { createSyncHub } from './sync-hub.ts';
import { hardFrameCap, resolveSyncLimits } from './sync-limits.ts';
import type { SyncLimits } from './sync-limits.ts';
import { silentLog } from './sync-log.ts';
import type { SyncLog } from './sync-log.ts';

export interface StartSyncServerOptions {
  /** 0 (default) picks a free port; read it from the result. */
  readonly port?: number;
  /** Default 127.0.0.1; '0.0.0.0' or '::' to serve other machines. */
  readonly host?: string;
  /** Where the logs live; the server never closes it (whoever made it owns it). */
  readonly store: EventStore;
  /** Auth hook, called on hello; throw (or reject) to refuse: the client gets LS_UNAUTHORIZED. */
  readonly validatePayload?: ValidatePayload;
  /** Overrides of DEFAULT_SYNC_LIMITS (server/sync-limits.ts). */
  readonly limits?: Partial<SyncLimits>;
  /** Ping interval; a connection that missed a pong by the next ping is dropped. 0: off. Default 30 s. */
  readonly heartbeatMs?: number;
  /** Time source of reservations (tests inject one). */
  readonly clock?: SyncClock;
  readonly log?: SyncLog;
}

export interface SyncServer {
  readonly port: number;
  /** ws://host:port — clients connect here (any path) and name their store in `hello`. */
  readonly url: string;
  readonly limits: SyncLimits;
  /** Stops serving; resolves once every connection closed and its last request finished. */
  close(): Promise<void>;
}

export async function startSyncServer(options: StartSyncServerOptions): Promise<SyncServer> {
  const limits = resolveSyncLimits(options.limits ?? {});
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? silentLog;
  const eventStore = options.store;
  const backendId = await eventStore.backendId();
  const hub = createSyncHub({ clock: options.clock ?? systemClock, reservationMs: limits.reservationMs });
  const ctx = { eventStore, hub, limits, backendId, log, validatePayload: options.validatePayload };
  const unlisten = eventStore.onAppended?.((storeId, head) => hub.headMoved(storeId, head));

  const http = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, backendId }));
      return;
    }
    res.writeHead(426, { 'content-type': 'text/plain' }).end('ls-elements sync server: connect with a WebSocket.\n');
  });
  const wss = new WebSocketServer({ server: http, maxPayload: hardFrameCap(limits), perMessageDeflate: false });
  const served = new Set<Promise<void>>();
  const alive = new WeakSet<WebSocket>();

  wss.on('connection', (ws, req) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    const done = serveConnection(ctx, ws, `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`);
    served.add(done);
    void done.then(() => served.delete(done));
  });

  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const heartbeat = heartbeatMs > 0
    ? setInterval(() => {
      for (const ws of wss.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, heartbeatMs).unref()
    : undefined;

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    unlisten?.();
    wss.close();
    const why = err instanceof Error ? err.message : String(err);
    throw new LsError('LS_INVALID_ARGUMENT', `The sync server cannot listen on ${host}:${options.port ?? 0} (${why}): pick another port or host.`, { cause: err });
  }
  const port = (http.address() as AddressInfo).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log('info', 'listening', { url, backendId });

  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    limits,
    close() {
      closing ??= (async () => {
        if (heartbeat !== undefined) clearInterval(heartbeat);
        unlisten?.();
        const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
        for (const ws of wss.clients) ws.close(SYNC_CLOSE_CODES.goingAway, 'server shutting down');
        // A peer that does not answer the closing handshake is cut off instead of waited for.
        const cutOff = setTimeout(() => { for (const ws of wss.clients) ws.terminate(); }, 2_000);
        await Promise.all([...served]);
        clearTimeout(cutOff);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await httpClosed;
        log('info', 'closed', { url });
      })();
      return closing;
    },
  };
}
