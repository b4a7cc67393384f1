/**
 * The sync server over real WebSockets on a real port, one behaviour per test, on an in-memory
 * SQLite event store: session, pull streams, push ok/rejected, dedupe, limits, auth, faults.
 * Each test reads the stored log afterwards where a fault must have left it untouched.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { SyncServerMessage } from '../src/core/sync-protocol.ts';
import type { EventStore } from './event-store.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { connectForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import type { TestConnection } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';
import type { StartSyncServerOptions, SyncServer } from './sync-server.ts';

const v = SYNC_PROTOCOL_VERSION;

interface Env {
  readonly server: SyncServer;
  readonly store: EventStore;
  connect(): Promise<TestConnection>;
  /** A connection that said hello to `storeId` (default 's'). */
  session(storeId?: string): Promise<TestConnection>;
}

function withServer(options: Omit<StartSyncServerOptions, 'store'>, fn: (env: Env) => Promise<void>) {
  return async () => {
    const store = await createSqliteEventStore({ path: ':memory:' });
    const server = await startSyncServer({ ...options, store });
    const conns: TestConnection[] = [];
    const connect = async (): Promise<TestConnection> => {
      const c = await connectForTesting(server.url);
      conns.push(c);
      return c;
    };
    try {
      await fn({
        server, store, connect,
        async session(storeId = 's') {
          const c = await connect();
          assert.equal((await c.hello(storeId)).type, 'welcome');
          return c;
        },
      });
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await server.close();
      await store.close();
    }
  };
}

function expectType<T extends SyncServerMessage['type']>(m: SyncServerMessage, type: T): Extract<SyncServerMessage, { type: T }> {
  assert.equal(m.type, type, JSON.stringify(m));
  return m as Extract<SyncServerMessage, { type: T }>;
}

const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

describe('sync server', { timeout: 30_000 }, () => {
  it('answers hello with welcome carrying the backend id, the head and the limits', withServer({ limits: { maxBatch: 7 } }, async ({ connect, store }) => {
    await store.append('s', 0, syncEventsForTesting(0, 2));
    const c = await connect();
    const welcome = expectType(await c.hello('s'), 'welcome');
    assert.equal(welcome.backendId, await store.backendId());
    assert.equal(welcome.head, 2);
    assert.equal(welcome.limits.maxBatch, 7);
  }));

  it('streams a pull from its cursor in pages of pageSize, the last one marked live', withServer({ limits: { pageSize: 3 } }, async ({ session, store }) => {
    const stored = syncEventsForTesting(0, 7);
    await store.append('s', 0, stored);
    const c = await session();
    const pullId = c.pull('s', 2);
    const first = expectType(await c.take((m) => m.type === 'events'), 'events');
    const second = expectType(await c.take((m) => m.type === 'events'), 'events');
    assert.deepStrictEqual([first.id, second.id], [pullId, pullId]);
    assert.deepStrictEqual(first.events, stored.slice(2, 5));
    assert.deepStrictEqual([first.cursor, first.head, first.live], [5, 7, false]);
    assert.deepStrictEqual(second.events, stored.slice(5, 7));
    assert.deepStrictEqual([second.cursor, second.head, second.live], [7, 7, true]);
  }));

  it('answers a pull at the head with one empty live page', withServer({}, async ({ session, store }) => {
    await store.append('s', 0, syncEventsForTesting(0, 2));
    const c = await session();
    c.pull('s', 2);
    const page = expectType(await c.take((m) => m.type === 'events'), 'events');
    assert.deepStrictEqual([page.events, page.cursor, page.live], [[], 2, true]);
  }));

  it('sends a push accepted from one client live to another, and not back to the pusher', withServer({}, async ({ session }) => {
    const watcher = await session();
    const pusher = await session();
    watcher.pull('s', 0);
    pusher.pull('s', 0);
    await watcher.take((m) => m.type === 'events' && m.live);
    await pusher.take((m) => m.type === 'events' && m.live);
    const batch = syncEventsForTesting(0, 2);
    expectType(await pusher.push('s', batch), 'ok');
    const live = expectType(await watcher.take((m) => m.type === 'events'), 'events');
    assert.deepStrictEqual(live.events, batch);
    assert.deepStrictEqual([live.cursor, live.head, live.live], [2, 2, true]);
    // A marker push by the watcher: the pusher's next event frame must be it, not its own batch.
    const marker = syncEventsForTesting(2, 1);
    expectType(await watcher.push('s', marker), 'ok');
    const next = expectType(await pusher.take((m) => m.type === 'events'), 'events');
    assert.deepStrictEqual(ids(next.events), ids(marker));
  }));

  it('accepts a push based on the head with ok, the new head and where each event is stored', withServer({}, async ({ session, store }) => {
    const c = await session();
    const batch = syncEventsForTesting(0, 3);
    const ok = expectType(await c.push('s', batch), 'ok');
    assert.deepStrictEqual([ok.head, ok.seqNums], [3, [1, 2, 3]]);
    assert.deepStrictEqual(await store.read('s', 0, 10), batch);
  }));

  it('rejects a push based behind the head with the head and the events the client is missing', withServer({}, async ({ session, store }) => {
    const first = await session();
    const late = await session();
    const stored = syncEventsForTesting(0, 3, 'first');
    expectType(await first.push('s', stored), 'ok');
    const rejected = expectType(await late.push('s', syncEventsForTesting(1, 2, 'late')), 'rejected');
    assert.equal(rejected.head, 3);
    assert.deepStrictEqual(rejected.missing, stored.slice(1));
    assert.ok(rejected.reservedMs > 0);
    assert.deepStrictEqual(ids(await store.read('s', 0, 10)), ids(stored));
  }));

  it('accepts the rejected client\'s push rebased on the head it was told', withServer({}, async ({ session }) => {
    const first = await session();
    const late = await session();
    expectType(await first.push('s', syncEventsForTesting(0, 2)), 'ok');
    const rejected = expectType(await late.push('s', syncEventsForTesting(0, 1)), 'rejected');
    const ok = expectType(await late.push('s', syncEventsForTesting(rejected.head, 1)), 'ok');
    assert.deepStrictEqual(ok.seqNums, [3]);
  }));

  it('acknowledges a resent batch at its stored seqNums without storing it twice', withServer({}, async ({ session, store }) => {
    const c = await session();
    const batch = syncEventsForTesting(0, 3);
    expectType(await c.push('s', batch), 'ok');
    const again = expectType(await c.push('s', batch), 'ok');
    assert.deepStrictEqual([again.head, again.seqNums], [3, [1, 2, 3]]);
    assert.equal((await store.read('s', 0, 10)).length, 3);
  }));

  it('stores only the new tail of a resent batch whose head is already stored', withServer({}, async ({ session, store }) => {
    const c = await session();
    const batch = syncEventsForTesting(0, 4);
    expectType(await c.push('s', batch.slice(0, 2)), 'ok');
    const ok = expectType(await c.push('s', batch), 'ok');
    assert.deepStrictEqual([ok.head, ok.seqNums], [4, [1, 2, 3, 4]]);
    assert.deepStrictEqual(ids(await store.read('s', 0, 10)), ids(batch));
  }));

  it('closes with LS_PROTOCOL_VERSION and 1002 on a message of an unknown protocol version', withServer({}, async ({ connect, store }) => {
    const c = await connect();
    c.send({ v: SYNC_PROTOCOL_VERSION + 1, type: 'push', id: 'x', storeId: 's', batch: syncEventsForTesting(0, 1) });
    const error = expectType(await c.take(), 'error');
    assert.deepStrictEqual([error.code, error.fatal, error.id], ['LS_PROTOCOL_VERSION', true, 'x']);
    assert.deepStrictEqual(await c.closed, { code: 1002, reason: 'LS_PROTOCOL_VERSION' });
    assert.equal(await store.head('s'), 0);
  }));

  it('closes with LS_MESSAGE_TOO_LARGE and 1009 on a frame over maxMessageBytes, storing nothing', withServer({ limits: { maxMessageBytes: 2048 } }, async ({ session, store }) => {
    const c = await session();
    const batch = syncEventsForTesting(0, 1).map((e) => ({ ...e, args: { text: 'x'.repeat(3000) } }));
    c.send({ v, type: 'push', id: 'big', storeId: 's', batch });
    const error = expectType(await c.take(), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_MESSAGE_TOO_LARGE', true]);
    assert.deepStrictEqual(await c.closed, { code: 1009, reason: 'LS_MESSAGE_TOO_LARGE' });
    assert.equal(await store.head('s'), 0);
  }));

  it('refuses a batch over maxBatch with LS_BATCH_TOO_LARGE and keeps the connection usable', withServer({ limits: { maxBatch: 2 } }, async ({ session, store }) => {
    const c = await session();
    const error = expectType(await c.push('s', syncEventsForTesting(0, 3)), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_BATCH_TOO_LARGE', false]);
    assert.equal(await store.head('s'), 0);
    expectType(await c.push('s', syncEventsForTesting(0, 2)), 'ok');
  }));

  it('refuses a batch with a gap with LS_INVALID_BATCH, storing nothing', withServer({}, async ({ session, store }) => {
    const c = await session();
    const [a, b] = syncEventsForTesting(0, 3).filter((e) => e.seqNum !== 2);
    assert.ok(a && b);
    const error = expectType(await c.push('s', [a, b]), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_INVALID_BATCH', false]);
    assert.equal(await store.head('s'), 0);
  }));

  it('calls validatePayload with the payload and storeId and closes with LS_UNAUTHORIZED when it throws', async () => {
    const calls: unknown[] = [];
    await withServer({
      validatePayload: (payload, { storeId }) => {
        calls.push({ payload, storeId });
        if ((payload as { token?: string } | undefined)?.token !== 'good') throw new Error('bad token');
      },
    }, async ({ connect }) => {
      const good = await connect();
      expectType(await good.hello('s1', { token: 'good' }), 'welcome');
      const bad = await connect();
      const error = expectType(await bad.hello('s2', { token: 'bad' }), 'error');
      assert.deepStrictEqual([error.code, error.fatal], ['LS_UNAUTHORIZED', true]);
      assert.match(error.message, /bad token/);
      assert.deepStrictEqual(await bad.closed, { code: 1008, reason: 'LS_UNAUTHORIZED' });
      assert.deepStrictEqual(calls, [{ payload: { token: 'good' }, storeId: 's1' }, { payload: { token: 'bad' }, storeId: 's2' }]);
      expectType(await good.push('s1', syncEventsForTesting(0, 1)), 'ok');
    })();
  });

  it('closes a connection that sends malformed JSON, leaving other clients served', withServer({}, async ({ session }) => {
    const broken = await session();
    const other = await session();
    broken.send('{not json');
    const error = expectType(await broken.take(), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_PROTOCOL_ERROR', true]);
    assert.equal((await broken.closed).code, 1002);
    expectType(await other.push('s', syncEventsForTesting(0, 1)), 'ok');
  }));

  it('answers a push before hello with LS_PROTOCOL_ERROR and keeps the connection', withServer({}, async ({ connect }) => {
    const c = await connect();
    const error = expectType(await c.push('s', syncEventsForTesting(0, 1)), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_PROTOCOL_ERROR', false]);
    expectType(await c.hello('s'), 'welcome');
    expectType(await c.push('s', syncEventsForTesting(0, 1)), 'ok');
  }));

  it('answers a pull past the head with LS_CURSOR_AHEAD', withServer({}, async ({ session }) => {
    const c = await session();
    const id = c.pull('s', 5);
    const error = expectType(await c.reply(id), 'error');
    assert.deepStrictEqual([error.code, error.fatal], ['LS_CURSOR_AHEAD', false]);
  }));
});
