/**
 * Many writers on one store, and durability across restarts, on an SQLite file.
 *
 * Concurrency: N replicas (sync-client-testing.ts) commit batches at the same time. They must end
 * with one identical log: every event of every writer exactly once, seqNums 1…total, no frame
 * that broke a replica's no-gap rule. Reservations run on a manual clock that never advances, so
 * the progress bound of push-turns.ts is exact: each push is rejected at most once.
 * Restart: acknowledged pushes survive closing the server and the store, in process and when the
 * CLI is killed with SIGKILL.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCliForTesting as startCli } from './cli-testing.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { connectForTesting, manualClockForTesting, replicaForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';

const WRITERS = 20;
const COMMITS = 8;

describe('sync server under contention and restarts', { timeout: 60_000 }, () => {
  it('converges N concurrent writers to one log with every event once, no gaps, each push rejected at most once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-sync-conv-'));
    const store = await createSqliteEventStore({ path: join(dir, 'sync.sqlite') });
    const server = await startSyncServer({ store, clock: manualClockForTesting() });
    const replicas = await Promise.all(Array.from({ length: WRITERS }, (_, i) => replicaForTesting(server.url, 's', `w${i}`)));
    try {
      await Promise.all(replicas.map(async (r, i) => {
        for (let k = 0; k < COMMITS; k++) await r.commit(1 + ((i + k) % 3));
      }));
      const total = replicas.reduce((n, _, i) => n + Array.from({ length: COMMITS }, (_, k) => 1 + ((i + k) % 3)).reduce((a, b) => a + b, 0), 0);
      await Promise.all(replicas.map((r) => r.reach(total)));
      const stored = await store.read('s', 0, 100_000);
      assert.equal(stored.length, total);
      assert.deepStrictEqual(stored.map((e) => e.seqNum), Array.from({ length: total }, (_, i) => i + 1));
      assert.equal(new Set(stored.map((e) => e.id)).size, total);
      for (const r of replicas) {
        assert.deepStrictEqual(r.violations, []);
        assert.deepStrictEqual(r.log.map((e) => e.id), stored.map((e) => e.id));
      }
      const worst = Math.max(...replicas.flatMap((r) => r.rejections));
      const rejected = replicas.flatMap((r) => r.rejections).filter((n) => n > 0).length;
      console.log(`# ${WRITERS} writers × ${COMMITS} pushes: ${rejected} pushes rejected once, worst retries per push ${worst}`);
      assert.ok(worst <= 1, `a push was rejected ${worst} times`);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged event when the server and its SQLite store are closed and reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-sync-restart-'));
    const path = join(dir, 'sync.sqlite');
    try {
      const batch = syncEventsForTesting(0, 5);
      let store = await createSqliteEventStore({ path });
      let server = await startSyncServer({ store });
      const backendId = await store.backendId();
      let c = await connectForTesting(server.url);
      await c.hello('s');
      assert.equal((await c.push('s', batch)).type, 'ok');
      await c.close();
      await server.close();
      await store.close();

      store = await createSqliteEventStore({ path });
      server = await startSyncServer({ store });
      c = await connectForTesting(server.url);
      const welcome = await c.hello('s');
      assert.ok(welcome.type === 'welcome');
      assert.deepStrictEqual([welcome.head, welcome.backendId], [5, backendId]);
      c.pull('s', 0);
      const page = await c.take((m) => m.type === 'events');
      assert.ok(page.type === 'events');
      assert.deepStrictEqual(page.events, batch);
      await c.close();
      await server.close();
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI serves its SQLite file and keeps acknowledged events after being killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-sync-cli-'));
    const db = join(dir, 'data', 'sync.sqlite');
    const children: ChildProcess[] = [];
    try {
      const first = await startCli(['--port', '0', '--db', db], children);
      const c = await connectForTesting(first.url);
      await c.hello('s');
      const batch = syncEventsForTesting(0, 3);
      assert.equal((await c.push('s', batch)).type, 'ok');
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;
      await c.closed;

      const second = await startCli(['--port', '0', '--db', db], children);
      const d = await connectForTesting(second.url);
      const welcome = await d.hello('s');
      assert.ok(welcome.type === 'welcome');
      assert.equal(welcome.head, 3);
      d.pull('s', 0);
      const page = await d.take((m) => m.type === 'events');
      assert.ok(page.type === 'events');
      assert.deepStrictEqual(page.events, batch);
      await d.close();
      const stopped = new Promise<number | null>((resolve) => second.child.once('exit', resolve));
      second.child.kill('SIGTERM');
      assert.equal(await stopped, 0);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
