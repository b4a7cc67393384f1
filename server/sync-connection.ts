/**
 * One WebSocket connection of the sync server: frames in, requests processed in order, replies out.
 *
 * A frame is checked (text, size) and parsed (sync-message-parse.ts) as it arrives; a fatal fault
 * answers with `error` and closes at once, whatever is still queued. Valid requests run one after
 * another (hello → welcome, pull → downstream subscription, push → push-handler.ts), so replies
 * come in request order. When more than `maxQueuedRequests` wait, the socket stops being read until
 * the queue drains: a flooding client slows itself, not the server.
 *
 * Session: set by a successful hello (auth hook first) and never changed; the connection then is
 * a member of its store's hub channel until it closes. Closing releases its place in the push
 * queue and any reservation at once, so a vanished client never holds a store.
 */
import type { WebSocket } from 'ws';
import { isLsError } from '../src/core/errors.ts';
import type { LsErrorCode } from '../src/core/errors.ts';
import { SYNC_CLOSE_CODES, SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { JsonValue, SyncClientMessage, SyncHelloMessage, SyncServerMessage } from '../src/core/sync-protocol.ts';
import { Downstream } from './connection-downstream.ts';
import type { EventStore } from './event-store.ts';
import { handlePush } from './push-handler.ts';
import type { StoreChannel, SyncHub } from './sync-hub.ts';
import type { SyncLimits } from './sync-limits.ts';
import type { SyncLog } from './sync-log.ts';
import { parseClientMessage } from './sync-message-parse.ts';
import type { SyncFault } from './sync-message-parse.ts';

export type ValidatePayload = (payload: JsonValue | undefined, context: { readonly storeId: string; readonly clientId: string }) => void | Promise<void>;

export interface ConnectionContext {
  readonly eventStore: EventStore;
  readonly hub: SyncHub;
  readonly limits: SyncLimits;
  readonly backendId: string;
  readonly log: SyncLog;
  readonly validatePayload?: ValidatePayload | undefined;
}

interface Session {
  readonly storeId: string;
  readonly clientId: string;
  readonly channel: StoreChannel;
  readonly downstream: Downstream;
}

const v = SYNC_PROTOCOL_VERSION;
let nextConnectionId = 1;

/** Serves `ws` until it closes; resolves when it closed and its last request finished. */
export function serveConnection(ctx: ConnectionContext, ws: WebSocket, remote: string): Promise<void> {
  const connectionId = nextConnectionId++;
  const { limits, log } = ctx;
  let session: Session | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued = 0;
  let paused = false;
  let closed = false;
  log('info', 'connection opened', { connection: connectionId, remote });

  const send = (message: SyncServerMessage): Promise<void> => new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) return resolve();
    ws.send(JSON.stringify(message), () => resolve());
  });
  const sendFault = (f: SyncFault): void => {
    void send({ v, type: 'error', ...f });
    if (!f.fatal) return;
    closed = true;
    const closeCode = f.code === 'LS_MESSAGE_TOO_LARGE' ? SYNC_CLOSE_CODES.tooLarge
      : f.code === 'LS_UNAUTHORIZED' ? SYNC_CLOSE_CODES.policyViolation : SYNC_CLOSE_CODES.protocolError;
    log('warn', 'connection closed after a fatal error', { connection: connectionId, code: f.code, message: f.message });
    ws.close(closeCode, f.code);
  };
  const fail = (id: string, code: LsErrorCode, message: string, fatal = false, details?: Record<string, string>): void =>
    sendFault({ id, code, message, fatal, ...(details === undefined ? {} : { details }) });

  const hello = async (msg: SyncHelloMessage): Promise<void> => {
    if (session !== undefined) {
      return fail(msg.id, 'LS_PROTOCOL_ERROR', `This connection already serves store ${session.storeId}; open another connection for another hello.`);
    }
    try {
      await ctx.validatePayload?.(msg.payload, { storeId: msg.storeId, clientId: msg.clientId });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return fail(msg.id, 'LS_UNAUTHORIZED', `The server refused the sync payload for store ${msg.storeId}: ${why}`, true);
    }
    const head = await ctx.eventStore.head(msg.storeId);
    if (closed) return;
    const downstream: Downstream = new Downstream({
      eventStore: ctx.eventStore,
      storeId: msg.storeId,
      pageSize: limits.pageSize,
      head: () => channel.head,
      send,
      onReadError: (pullId, err) => {
        log('error', 'pull stream read failed', { connection: connectionId, storeId: msg.storeId, error: String(err) });
        fail(pullId, 'LS_STORAGE_ERROR', 'The server could not read the log for your pull; pull again later.');
      },
    });
    const channel = ctx.hub.join(msg.storeId, downstream);
    ctx.hub.headMoved(msg.storeId, head);
    session = { storeId: msg.storeId, clientId: msg.clientId, channel, downstream };
    log('info', 'hello', { connection: connectionId, storeId: msg.storeId, clientId: msg.clientId, head });
    const { maxMessageBytes, maxBatch, pageSize, reservationMs } = limits;
    void send({ v, type: 'welcome', id: msg.id, backendId: ctx.backendId, head, limits: { maxMessageBytes, maxBatch, pageSize, reservationMs } });
  };

  const handle = async (msg: SyncClientMessage): Promise<void> => {
    if (msg.type === 'hello') return hello(msg);
    if (session === undefined) return fail(msg.id, 'LS_PROTOCOL_ERROR', `Send hello before ${msg.type}.`);
    if (msg.storeId !== session.storeId) {
      return fail(msg.id, 'LS_PROTOCOL_ERROR', `This connection serves store ${session.storeId}, not ${msg.storeId}: open a connection per store.`);
    }
    const s = session;
    if (msg.type === 'pull') {
      const head = await ctx.eventStore.head(s.storeId);
      ctx.hub.headMoved(s.storeId, head);
      if (msg.cursor > head) {
        return fail(msg.id, 'LS_CURSOR_AHEAD',
          `Your cursor ${msg.cursor} is past the server's head ${head}: the server's log was reset or restored. Compare backendId and reset your local eventlog.`,
          false, { cursor: String(msg.cursor), head: String(head) });
      }
      log('debug', 'pull', { connection: connectionId, storeId: s.storeId, cursor: msg.cursor, head });
      s.downstream.subscribe(msg.id, msg.cursor);
      return;
    }
    await handlePush(ctx, {
      connectionId,
      storeId: s.storeId,
      channel: s.channel,
      downstream: s.downstream,
      send: (m) => void send(m),
      sendError: (id, code, message, details) => fail(id, code, message, false, details),
    }, msg);
  };

  const enqueue = (msg: SyncClientMessage): void => {
    queued++;
    if (queued > limits.maxQueuedRequests && !paused) {
      paused = true;
      ws.pause();
    }
    chain = chain.then(async () => {
      try {
        if (!closed) await handle(msg);
      } catch (err) {
        log('error', 'request failed', { connection: connectionId, type: msg.type, error: String(err) });
        const storage = isLsError(err, 'LS_STORAGE_ERROR');
        fail(msg.id, storage ? 'LS_STORAGE_ERROR' : 'LS_INTERNAL', `The server could not process your ${msg.type} (${storage ? 'storage' : 'internal'} error); try again later.`);
      } finally {
        queued--;
        if (paused && queued <= limits.maxQueuedRequests / 2) {
          paused = false;
          ws.resume();
        }
      }
    });
  };

  ws.on('message', (data, isBinary) => {
    if (closed) return;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) return sendFault({ code: 'LS_PROTOCOL_ERROR', message: 'Binary frames are not part of the sync protocol: send JSON text frames.', fatal: true });
    if (bytes.byteLength > limits.maxMessageBytes) {
      return sendFault({
        code: 'LS_MESSAGE_TOO_LARGE', fatal: true,
        message: `A frame of ${bytes.byteLength} bytes exceeds the limit of ${limits.maxMessageBytes}: push fewer events per batch.`,
      });
    }
    const parsed = parseClientMessage(bytes.toString('utf8'), limits);
    if (!parsed.ok) return sendFault(parsed.fault);
    enqueue(parsed.message);
  });
  ws.on('error', (err) => log('warn', 'connection error', { connection: connectionId, error: String(err) }));

  return new Promise((resolve) => {
    ws.on('close', (code) => {
      closed = true;
      if (session !== undefined) {
        session.downstream.close();
        ctx.hub.leave(session.storeId, session.downstream);
      }
      log('info', 'connection closed', { connection: connectionId, code });
      void chain.then(() => resolve());
    });
  });
}
