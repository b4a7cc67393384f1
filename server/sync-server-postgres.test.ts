/**
 * The sync server in PostgreSQL mode: two server nodes (each its own PostgresEventStore, pool and
 * LISTEN connection) over one database, clients on both. Cross-node live updates come from the
 * store's NOTIFY fan-out (poll fallback off, so these tests see the notification path alone).
 * Uses LS_TEST_POSTGRES_URL or a throwaway cluster from scripts/pg-harness.mjs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgresForTesting } from './postgres-event-store-testing.ts';
import type { PostgresForTesting } from './postgres-event-store-testing.ts';
import { connectForTesting, replicaForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import type { Replica, TestConnection } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';
import type { SyncServer } from './sync-server.ts';

let pg: PostgresForTesting;

/** Two server nodes on a fresh schema; everything is closed when `fn` ends. */
async function withTwoNodes(fn: (a: SyncServer, b: SyncServer) => Promise<void>): Promise<void> {
  const schema = pg.freshSchema();
  const a = await startSyncServer({ store: await pg.node(schema, { nodeName: 'a' }) });
  const b = await startSyncServer({ store: await pg.node(schema, { nodeName: 'b' }) });
  try {
    await fn(a, b);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

describe('sync server on PostgreSQL, two nodes', { timeout: 60_000 }, () => {
  before(async () => { pg = await startPostgresForTesting(); });
  after(async () => { await pg.stop(); });

  it('sends a client on node A, live, a push accepted on node B', async () => {
    await withTwoNodes(async (a, b) => {
      const conns: TestConnection[] = [];
      try {
        const watcher = await connectForTesting(a.url);
        const pusher = await connectForTesting(b.url);
        conns.push(watcher, pusher);
        await watcher.hello('s');
        await pusher.hello('s');
        watcher.pull('s', 0);
        await watcher.take((m) => m.type === 'events' && m.live);
        const batch = syncEventsForTesting(0, 3);
        assert.equal((await pusher.push('s', batch)).type, 'ok');
        const page = await watcher.take((m) => m.type === 'events');
        assert.ok(page.type === 'events');
        assert.deepStrictEqual(page.events, batch);
        assert.equal(page.cursor, 3);
      } finally {
        await Promise.all(conns.map((c) => c.close()));
      }
    });
  });

  it('rejects on node A a push that node B already moved past, with the missing events', async () => {
    await withTwoNodes(async (a, b) => {
      const late = await connectForTesting(a.url);
      const first = await connectForTesting(b.url);
      try {
        await late.hello('s');
        await first.hello('s');
        const stored = syncEventsForTesting(0, 2);
        assert.equal((await first.push('s', stored)).type, 'ok');
        const answer = await late.push('s', syncEventsForTesting(0, 1));
        assert.ok(answer.type === 'rejected', JSON.stringify(answer));
        assert.equal(answer.head, 2);
        assert.deepStrictEqual(answer.missing, stored);
      } finally {
        await Promise.all([late.close(), first.close()]);
      }
    });
  });

  it('keeps what node A acknowledged after A stops, and its client carries on at node B', async () => {
    await withTwoNodes(async (a, b) => {
      const onA = await connectForTesting(a.url);
      await onA.hello('s');
      const batch = syncEventsForTesting(0, 4);
      assert.equal((await onA.push('s', batch.slice(0, 2))).type, 'ok');
      await a.close();
      assert.equal((await onA.closed).code, 1001);
      const onB = await connectForTesting(b.url);
      try {
        await onB.hello('s');
        assert.equal((await onB.push('s', batch.slice(2))).type, 'ok');
        onB.pull('s', 0);
        const page = await onB.take((m) => m.type === 'events');
        assert.ok(page.type === 'events');
        assert.deepStrictEqual(page.events, batch);
      } finally {
        await onB.close();
      }
    });
  });

  it('converges writers spread over both nodes to one log with every event once and no gaps', async () => {
    await withTwoNodes(async (a, b) => {
      const replicas: Replica[] = [];
      try {
        for (let i = 0; i < 6; i++) replicas.push(await replicaForTesting((i % 2 === 0 ? a : b).url, 's', `w${i}`));
        await Promise.all(replicas.map(async (r) => {
          for (let k = 0; k < 5; k++) await r.commit(2);
        }));
        const total = 6 * 5 * 2;
        await Promise.all(replicas.map((r) => r.reach(total)));
        const logIds = replicas[0]?.log.map((e) => e.id) ?? [];
        assert.equal(new Set(logIds).size, total);
        for (const r of replicas) {
          assert.deepStrictEqual(r.violations, []);
          assert.deepStrictEqual(r.log.map((e) => e.id), logIds);
          assert.deepStrictEqual(r.log.map((e) => e.seqNum), Array.from({ length: total }, (_, i) => i + 1));
        }
        const worst = Math.max(...replicas.flatMap((r) => r.rejections));
        console.log(`# two nodes, 6 writers × 5 pushes: worst retries per push ${worst}`);
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
      }
    });
  });
});
