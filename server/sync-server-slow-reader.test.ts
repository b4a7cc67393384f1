/**
 * A client that stops reading (its socket paused, so TCP fills up) must not hold up the server:
 * pushes keep being acknowledged, other clients keep receiving live, and when the slow client
 * reads again its stream resumes from where it was, without a gap or a duplicate.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { LiveEvent } from '../src/core/live-event.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { connectForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import type { TestConnection } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';

const BATCHES = 40;
const PER_BATCH = 25;
const ARG_BYTES = 4000; // 40 × 25 × 4 KB = 4 MB, far more than the socket buffers hold

function streamed(c: TestConnection): LiveEvent[] {
  return c.received.flatMap((m) => (m.type === 'events' ? m.events : []));
}

async function until(fn: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a client that never reads', { timeout: 60_000 }, () => {
  it('does not slow the pushers or the other clients, and its stream resumes gap-free when it reads again', async () => {
    const store = await createSqliteEventStore({ path: ':memory:' });
    const server = await startSyncServer({ store });
    const conns: TestConnection[] = [];
    try {
      const open = async (): Promise<TestConnection> => {
        const c = await connectForTesting(server.url);
        conns.push(c);
        assert.equal((await c.hello('s')).type, 'welcome');
        c.pull('s', 0);
        await c.take((m) => m.type === 'events' && m.live);
        return c;
      };
      const slow = await open();
      const watcher = await open();
      const pusher = await connectForTesting(server.url);
      conns.push(pusher);
      await pusher.hello('s');
      (slow.ws as unknown as { _socket: Socket })._socket.pause();

      const pad = 'x'.repeat(ARG_BYTES);
      let head = 0;
      for (let b = 0; b < BATCHES; b++) {
        const batch = syncEventsForTesting(head, PER_BATCH).map((e) => ({ ...e, args: { pad } }));
        const answer = await pusher.push('s', batch);
        assert.equal(answer.type, 'ok', JSON.stringify(answer).slice(0, 200));
        head += PER_BATCH;
      }
      const total = BATCHES * PER_BATCH;
      await until(() => streamed(watcher).length >= total, 'the watcher receives every event');
      assert.ok(streamed(slow).length < total, 'the paused client has not read everything (else the test proves nothing)');

      (slow.ws as unknown as { _socket: Socket })._socket.resume();
      await until(() => streamed(slow).length >= total, 'the slow client catches up');
      assert.deepStrictEqual(streamed(slow).map((e) => e.seqNum), Array.from({ length: total }, (_, i) => i + 1));
      assert.deepStrictEqual(streamed(watcher).map((e) => e.seqNum), Array.from({ length: total }, (_, i) => i + 1));
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await server.close();
      await store.close();
    }
  });
});
