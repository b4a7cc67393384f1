// The load run measures what it says: pushes accepted, every one seen by the watcher, bounded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSqliteEventStore } from '../sqlite-event-store.ts';
import { startSyncServer } from '../sync-server.ts';
import { loadRun } from './load-run.ts';

describe('load run', { timeout: 30_000 }, () => {
  it('stops at the push bound and reports throughput and fan-out latency of what the watcher saw', async () => {
    const store = await createSqliteEventStore({ path: ':memory:' });
    const server = await startSyncServer({ store });
    try {
      const r = await loadRun({ writerUrl: server.url, watcherUrl: server.url, stores: 2, writers: 3, seconds: 20, maxPushes: 30, label: 'test' });
      // Each writer checks the bound before its next push, so a store ends within `writers` of it.
      assert.ok(r.acceptedPushes >= 60 && r.acceptedPushes <= 66, `accepted ${r.acceptedPushes}`);
      assert.ok(r.pushesPerSecond > 0);
      assert.ok(Number.isFinite(r.fanoutP50Ms) && r.fanoutP50Ms <= r.fanoutP99Ms);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
