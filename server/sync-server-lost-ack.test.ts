/**
 * The connection dies after the server persisted a push and before its `ok` reached the client
 * (the case "crash between persist and acknowledge" as the client sees it). The client cannot
 * know whether the push landed; it reconnects and resends the same events. The server places
 * them where they already are: acknowledged at their stored seqNums, stored once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventStore } from './event-store.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { connectForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';

describe('an acknowledgement lost after the append', { timeout: 30_000 }, () => {
  it('is recovered by resending: the events are acknowledged where they are and stored once', async () => {
    const inner = await createSqliteEventStore({ path: ':memory:' });
    let dropAfterAppend: (() => void) | undefined;
    const store: EventStore = Object.assign(Object.create(inner) as EventStore, {
      async append(...args: Parameters<EventStore['append']>) {
        const result = await inner.append(...args);
        dropAfterAppend?.(); // persisted; the connection dies before the ok is sent
        dropAfterAppend = undefined;
        return result;
      },
    });
    const server = await startSyncServer({ store });
    try {
      const first = await connectForTesting(server.url);
      await first.hello('s');
      assert.equal((await first.push('s', syncEventsForTesting(0, 2))).type, 'ok');
      const batch = syncEventsForTesting(2, 3);
      dropAfterAppend = () => first.ws.terminate();
      const lost = await first.push('s', batch);
      assert.notEqual(lost.type, 'ok', 'the ok did not arrive');
      await first.closed;

      const again = await connectForTesting(server.url);
      const welcome = await again.hello('s');
      assert.ok(welcome.type === 'welcome');
      assert.equal(welcome.head, 5, 'the push was persisted');
      // The client still thinks its events are pending on top of 2 and resends them as they were.
      const answer = await again.push('s', batch);
      assert.ok(answer.type === 'ok', JSON.stringify(answer));
      assert.deepStrictEqual(answer.seqNums, [3, 4, 5]);
      again.pull('s', 0);
      const page = await again.take((m) => m.type === 'events');
      assert.ok(page.type === 'events');
      assert.deepStrictEqual(page.events.map((e) => e.seqNum), [1, 2, 3, 4, 5]);
      assert.equal(new Set(page.events.map((e) => e.id)).size, 5);
      await again.close();
    } finally {
      await server.close();
      await inner.close();
    }
  });
});
