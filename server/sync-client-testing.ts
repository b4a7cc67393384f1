/**
 * Test support for the sync server's node tests (no product code imports this).
 *
 * - `connectForTesting(url)`: a raw `ws` client that keeps every server message in an inbox;
 *   `take(pred)` removes and returns the first matching one, waiting if none arrived yet.
 * - `replicaForTesting(url, storeId, clientId)`: a minimal honest sync client. It pulls from 0,
 *   appends every event it is sent and records a violation if one does not continue its log (the
 *   server's no-gap/no-duplicate rule). `commit(n)` pushes n events: on `rejected` it applies
 *   `missing`, waits until it holds `head`, renumbers and pushes again, counting rejections.
 * - `manualClockForTesting()`: a SyncClock whose time moves only by `advance(ms)`.
 * Nothing here waits on wall-clock time: every wait ends on a message or a socket event.
 */
import { WebSocket } from 'ws';
import type { LiveEvent } from '../src/core/live-event.ts';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { JsonValue, SyncServerMessage } from '../src/core/sync-protocol.ts';
import type { SyncClock } from './push-turns.ts';

const v = SYNC_PROTOCOL_VERSION;
let serial = 0;

export interface TestConnection {
  readonly ws: WebSocket;
  /** Every message received so far, in order (take() does not remove from here). */
  readonly received: SyncServerMessage[];
  /** Resolves with the close code and reason when the socket closed. */
  readonly closed: Promise<{ readonly code: number; readonly reason: string }>;
  send(message: unknown): void;
  take(pred?: (m: SyncServerMessage) => boolean): Promise<SyncServerMessage>;
  /** The answer (welcome/ok/rejected/error) to the request with this id. */
  reply(id: string): Promise<SyncServerMessage>;
  hello(storeId: string, payload?: JsonValue, clientId?: string): Promise<SyncServerMessage>;
  /** Sends a pull; returns its id. */
  pull(storeId: string, cursor: number): string;
  push(storeId: string, batch: readonly LiveEvent[]): Promise<SyncServerMessage>;
  close(): Promise<void>;
}

export async function connectForTesting(url: string): Promise<TestConnection> {
  const ws = new WebSocket(url);
  const inbox: SyncServerMessage[] = [];
  const received: SyncServerMessage[] = [];
  const waiters: Array<{ pred: (m: SyncServerMessage) => boolean; resolve: (m: SyncServerMessage) => void }> = [];
  let onClose: (c: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => { onClose = resolve; });
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as SyncServerMessage;
    received.push(m);
    const i = waiters.findIndex((w) => w.pred(m));
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
    else inbox.push(m);
  });
  ws.on('close', (code, reason) => {
    onClose({ code, reason: reason.toString() });
    // Wake waiters with an error frame so a test fails instead of hanging.
    for (const w of waiters.splice(0)) w.resolve({ v, type: 'error', code: 'LS_INTERNAL', message: `socket closed (${code})`, fatal: true });
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const isAnswer = (id: string) => (m: SyncServerMessage): boolean => m.type !== 'events' && m.id === id;
  const conn: TestConnection = {
    ws,
    received,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    take(pred = () => true) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as SyncServerMessage);
      if (ws.readyState !== ws.OPEN) return Promise.resolve({ v, type: 'error', code: 'LS_INTERNAL', message: 'socket closed', fatal: true });
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    reply: (id) => conn.take(isAnswer(id)),
    hello(storeId, payload, clientId = 'test-client') {
      const id = `h${serial++}`;
      conn.send({ v, type: 'hello', id, storeId, clientId, ...(payload === undefined ? {} : { payload }) });
      return conn.reply(id);
    },
    pull(storeId, cursor) {
      const id = `p${serial++}`;
      conn.send({ v, type: 'pull', id, storeId, cursor });
      return id;
    },
    push(storeId, batch) {
      const id = `u${serial++}`;
      conn.send({ v, type: 'push', id, storeId, batch });
      return conn.reply(id);
    },
    async close() {
      if (ws.readyState === ws.CLOSED) return;
      ws.close();
      await closed;
    },
  };
  return conn;
}

/** `n` contiguous events on top of `parent`, ids unique across the test run. */
export function syncEventsForTesting(parent: number, n: number, clientId = 'client-t'): LiveEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${clientId}-${serial++}`,
    name: 'todoCreated',
    args: { text: `todo ${parent + i + 1}` },
    seqNum: parent + i + 1,
    parentSeqNum: parent + i,
    clientId,
    sessionId: `${clientId}-session`,
    createdAt: 1_700_000_000_000 + i,
  }));
}

export interface Replica {
  readonly log: readonly LiveEvent[];
  /** Messages that broke the no-gap/no-duplicate rule or the push answers' promises. */
  readonly violations: string[];
  /** Rejections per commit() call, in order. */
  readonly rejections: number[];
  commit(n: number): Promise<void>;
  /** Resolves once the log holds `length` events. */
  reach(length: number): Promise<void>;
  close(): Promise<void>;
}

export async function replicaForTesting(url: string, storeId: string, clientId: string): Promise<Replica> {
  const conn = await connectForTesting(url);
  const log: LiveEvent[] = [];
  const violations: string[] = [];
  const rejections: number[] = [];
  const reachers: Array<{ length: number; resolve: () => void }> = [];
  let made = 0;
  const grew = (): void => {
    for (let i = reachers.length - 1; i >= 0; i--) if (log.length >= (reachers[i]?.length ?? 0)) reachers.splice(i, 1)[0]?.resolve();
  };
  const apply = (events: readonly LiveEvent[], via: string): void => {
    for (const e of events) {
      if (e.seqNum !== log.length + 1) violations.push(`${clientId}: ${via} sent seqNum ${e.seqNum} while holding ${log.length}`);
      else log.push(e);
    }
    grew();
  };
  let inflight: { readonly id: string; readonly batch: readonly LiveEvent[] } | undefined;
  // Applied as frames arrive, not after an await: ws may emit several frames in one tick.
  conn.ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as SyncServerMessage;
    if (m.type === 'events') apply(m.events, 'events');
    else if (m.type === 'rejected') apply(m.missing, 'rejected.missing');
    else if (m.type === 'ok' && m.id === inflight?.id) {
      const { batch } = inflight;
      const base = batch[0]?.parentSeqNum ?? -1;
      if (log.length !== base) violations.push(`${clientId}: ok for base ${base} after receiving up to ${log.length}`);
      if (m.seqNums.join() !== batch.map((e) => e.seqNum).join()) violations.push(`${clientId}: ok with seqNums ${m.seqNums.join()}`);
      apply(batch, 'ok');
    }
  });
  const welcome = await conn.hello(storeId, undefined, clientId);
  if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
  conn.pull(storeId, 0);

  const reach = (length: number): Promise<void> => log.length >= length
    ? Promise.resolve()
    : new Promise((resolve) => reachers.push({ length, resolve }));

  return {
    log,
    violations,
    rejections,
    reach,
    async commit(n) {
      const bodies = Array.from({ length: n }, () => ({ id: `${clientId}-${made++}`, k: made }));
      let rejected = 0;
      for (;;) {
        const base = log.length;
        const batch: LiveEvent[] = bodies.map((b, i) => ({
          id: b.id, name: 'counted', args: { clientId, k: b.k }, seqNum: base + i + 1, parentSeqNum: base + i,
          clientId, sessionId: `${clientId}-s`, createdAt: 1_700_000_000_000 + b.k,
        }));
        const id = `${clientId}-push-${serial++}`;
        inflight = { id, batch };
        conn.send({ v, type: 'push', id, storeId, batch });
        const answer = await conn.reply(id);
        if (answer.type === 'ok') {
          rejections.push(rejected);
          return;
        }
        if (answer.type !== 'rejected') throw new Error(`${clientId}: push failed: ${JSON.stringify(answer)}`);
        rejected++;
        await reach(answer.head); // missing was applied on arrival; a longer gap comes on the stream
      }
    },
    close: () => conn.close(),
  };
}

export interface ManualClock extends SyncClock {
  advance(ms: number): void;
}

export function manualClockForTesting(): ManualClock {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => { timers = timers.filter((t) => t !== timer); };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}
