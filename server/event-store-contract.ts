/**
 * The contract every EventStore passes (server/event-store.ts), as a node:test suite:
 *
 *   runEventStoreContract(name, make)
 *
 * `make()` returns a fresh, empty storage: `{ store, cleanup, reopen? }`. `cleanup()` closes the
 * current store (closing twice must be harmless) and removes its data. A persisted store also gives
 * `reopen()`: close the current store, open the same data again, return the new one (later
 * `cleanup()` closes that one). Two `make()` calls must give storages with different backend ids.
 *
 * Covered: empty start, append/read round trip (args exactly), head, contiguity, head mismatch both
 * ways, empty batches, atomicity (a failing batch leaves nothing), dedupe lookup, isolation of
 * stores, large batches, read paging, racing appends, backendId stable across reopen, and close.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveEvent } from '../src/core/live-event.ts';
import type { EventStore } from './event-store.ts';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  cleanup(): Promise<void>;
  reopen?(): Promise<EventStore>;
}

let serial = 0;

/** `n` contiguous events numbered from `from`, with ids unique across the test run. */
function events(from: number, n: number, tag = 'e'): LiveEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${from + i}-${serial++}`,
    name: 'todoCreated',
    args: { text: `todo ${from + i}`, n: from + i },
    seqNum: from + i,
    parentSeqNum: from + i - 1,
    clientId: 'client-a',
    sessionId: 'session-a',
    createdAt: 1_700_000_000_000 + from + i,
  }));
}

export function runEventStoreContract(name: string, make: () => Promise<EventStoreUnderTest>): void {
  const withStore = (fn: (t: EventStoreUnderTest) => Promise<void>) => async () => {
    const t = await make();
    try {
      await fn(t);
    } finally {
      await t.cleanup();
    }
  };
  const seqs = async (store: EventStore, storeId: string): Promise<number[]> => (await store.read(storeId, 0, 100_000)).map((e) => e.seqNum);

  describe(`EventStore contract: ${name}`, { timeout: 60_000 }, () => {
    it('starts with head 0 and no events for an unknown store', withStore(async ({ store }) => {
      assert.equal(await store.head('s'), 0);
      assert.deepStrictEqual(await store.read('s', 0, 10), []);
    }));

    it('appends a contiguous batch at the head and reads back the same events', withStore(async ({ store }) => {
      const batch = events(1, 3);
      assert.deepStrictEqual(await store.append('s', 0, batch), { ok: true, head: 3 });
      assert.equal(await store.head('s'), 3);
      assert.deepStrictEqual(await store.read('s', 0, 10), batch);
    }));

    it('appends batch after batch, each on the head the previous one left', withStore(async ({ store }) => {
      assert.deepStrictEqual(await store.append('s', 0, events(1, 2)), { ok: true, head: 2 });
      assert.deepStrictEqual(await store.append('s', 2, events(3, 1)), { ok: true, head: 3 });
      assert.deepStrictEqual(await store.append('s', 3, events(4, 4)), { ok: true, head: 7 });
      assert.deepStrictEqual(await seqs(store, 's'), [1, 2, 3, 4, 5, 6, 7]);
    }));

    it('returns args exactly: nesting, unicode, null, numbers, and undefined', withStore(async ({ store }) => {
      const argsList: unknown[] = [{ a: [1, { b: null }], s: 'é 😀 \u0000 "q"' }, null, 0.1, 'text', [true, false], undefined];
      const batch = events(1, argsList.length).map((e, i) => ({ ...e, args: argsList[i] }));
      await store.append('s', 0, batch);
      assert.deepStrictEqual((await store.read('s', 0, 10)).map((e) => e.args), argsList);
    }));

    it('refuses an expected head behind the store and reports the current head', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 2));
      assert.deepStrictEqual(await store.append('s', 1, events(2, 1)), { ok: false, reason: 'head-mismatch', head: 2 });
      assert.deepStrictEqual(await seqs(store, 's'), [1, 2]);
    }));

    it('refuses an expected head ahead of the store and writes nothing', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 2));
      assert.deepStrictEqual(await store.append('s', 4, events(5, 1)), { ok: false, reason: 'head-mismatch', head: 2 });
      assert.deepStrictEqual(await store.append('new', 3, events(4, 1)), { ok: false, reason: 'head-mismatch', head: 0 });
      assert.deepStrictEqual(await seqs(store, 's'), [1, 2]);
      assert.equal(await store.head('new'), 0);
    }));

    it('refuses as not-contiguous a batch that skips, repeats or misparents a seqNum', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 2));
      const [a, b] = events(3, 2);
      assert.ok(a && b);
      const broken: LiveEvent[][] = [
        [a, { ...b, seqNum: 5, parentSeqNum: 4 }],
        [a, { ...b, seqNum: 3, parentSeqNum: 2 }],
        [{ ...a, parentSeqNum: 1 }, b],
        events(4, 1),
      ];
      for (const batch of broken) assert.deepStrictEqual(await store.append('s', 2, batch), { ok: false, reason: 'not-contiguous', head: 2 });
      assert.deepStrictEqual(await seqs(store, 's'), [1, 2]);
    }));

    it('accepts an empty batch only at the head, changing nothing', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 1));
      assert.deepStrictEqual(await store.append('s', 1, []), { ok: true, head: 1 });
      assert.deepStrictEqual(await store.append('s', 0, []), { ok: false, reason: 'head-mismatch', head: 1 });
      assert.equal(await store.head('s'), 1);
    }));

    it('leaves nothing of a batch whose last event reuses a stored id', withStore(async ({ store }) => {
      const first = events(1, 2);
      await store.append('s', 0, first);
      const batch = events(3, 3);
      const clash = [...batch.slice(0, 2), { ...(batch[2] as LiveEvent), id: (first[0] as LiveEvent).id }];
      const result = await store.append('s', 2, clash);
      assert.equal(result.ok, false);
      assert.equal(result.head, 2);
      assert.deepStrictEqual(await seqs(store, 's'), [1, 2]);
      assert.deepStrictEqual(await store.seqNumsOf('s', batch.map((e) => e.id)), new Map());
      assert.deepStrictEqual(await store.append('s', 2, batch), { ok: true, head: 5 });
    }));

    it('rejects with LS_INVALID_ARGUMENT, writing nothing, a batch with args that are not JSON', withStore(async ({ store }) => {
      const batch = events(1, 3);
      const bad = [batch[0] as LiveEvent, { ...(batch[1] as LiveEvent), args: { n: 1n } }, batch[2] as LiveEvent];
      await assert.rejects(store.append('s', 0, bad), { code: 'LS_INVALID_ARGUMENT' });
      assert.equal(await store.head('s'), 0);
      assert.deepStrictEqual(await store.read('s', 0, 10), []);
    }));

    it('rejects with LS_INVALID_ARGUMENT a batch holding one id twice, or a negative expected head', withStore(async ({ store }) => {
      const [a, b] = events(1, 2);
      assert.ok(a && b);
      await assert.rejects(store.append('s', 0, [a, { ...b, id: a.id }]), { code: 'LS_INVALID_ARGUMENT' });
      await assert.rejects(store.append('s', -1, []), { code: 'LS_INVALID_ARGUMENT' });
      assert.equal(await store.head('s'), 0);
    }));

    it('finds the seqNums of stored ids and omits unknown ones', withStore(async ({ store }) => {
      const batch = events(1, 3);
      await store.append('s', 0, batch);
      const ids = batch.map((e) => e.id);
      assert.deepStrictEqual(await store.seqNumsOf('s', [ids[2] ?? '', 'unknown', ids[0] ?? '']), new Map([[ids[2], 3], [ids[0], 1]]));
      assert.deepStrictEqual(await store.seqNumsOf('s', []), new Map());
    }));

    it('looks up thousands of ids at once', withStore(async ({ store }) => {
      const batch = events(1, 3000);
      await store.append('s', 0, batch);
      const found = await store.seqNumsOf('s', [...batch.map((e) => e.id), ...Array.from({ length: 2000 }, (_, i) => `nope-${i}`)]);
      assert.equal(found.size, 3000);
      assert.equal(found.get((batch[2999] as LiveEvent).id), 3000);
    }));

    it('keeps stores apart: heads, events and ids', withStore(async ({ store }) => {
      const a = events(1, 3, 'a');
      await store.append('a', 0, a);
      await store.append('b', 0, events(1, 1, 'b'));
      assert.equal(await store.head('a'), 3);
      assert.equal(await store.head('b'), 1);
      assert.deepStrictEqual(await store.seqNumsOf('b', a.map((e) => e.id)), new Map());
      assert.deepStrictEqual(await store.append('b', 1, [{ ...(events(2, 1)[0] as LiveEvent), id: (a[0] as LiveEvent).id }]), { ok: true, head: 2 });
      assert.deepStrictEqual(await seqs(store, 'a'), [1, 2, 3]);
    }));

    it('appends a batch of 5000 events and reads it back in pages', withStore(async ({ store }) => {
      const batch = events(1, 5000);
      assert.deepStrictEqual(await store.append('s', 0, batch), { ok: true, head: 5000 });
      const back: LiveEvent[] = [];
      for (let page = await store.read('s', 0, 1000); page.length > 0; page = await store.read('s', back.length, 1000)) back.push(...page);
      assert.deepStrictEqual(back, batch);
    }));

    it('reads pages by cursor and limit, and nothing past the head or for limit 0', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 12));
      assert.deepStrictEqual((await store.read('s', 3, 2)).map((e) => e.seqNum), [4, 5]);
      assert.deepStrictEqual((await store.read('s', 9, 10)).map((e) => e.seqNum), [10, 11, 12]);
      assert.deepStrictEqual(await store.read('s', 12, 10), []);
      assert.deepStrictEqual(await store.read('s', 0, 0), []);
    }));

    it('lets exactly one of racing appends on the same head win', withStore(async ({ store }) => {
      await store.append('s', 0, events(1, 1));
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append('s', 1, events(2, 1 + (i % 3), `w${i}`))));
      const winners = results.filter((r) => r.ok);
      assert.equal(winners.length, 1);
      const head = winners[0]?.head ?? -1;
      assert.ok(results.every((r) => r.head === head));
      assert.deepStrictEqual(await seqs(store, 's'), Array.from({ length: head }, (_, i) => i + 1));
    }));

    it('has a backend id that stays the same, also across reopening, and differs between storages', withStore(async (t) => {
      const id = await t.store.backendId();
      assert.equal(typeof id, 'string');
      assert.ok(id.length > 0);
      assert.equal(await t.store.backendId(), id);
      const other = await make();
      try {
        assert.notEqual(await other.store.backendId(), id);
      } finally {
        await other.cleanup();
      }
      if (t.reopen === undefined) return;
      const batch = events(1, 4);
      await t.store.append('s', 0, batch);
      const again = await t.reopen();
      assert.equal(await again.backendId(), id);
      assert.equal(await again.head('s'), 4);
      assert.deepStrictEqual(await again.read('s', 0, 10), batch);
    }));

    it('fails with LS_STORE_SHUTDOWN after close()', withStore(async ({ store }) => {
      await store.close();
      await store.close();
      await assert.rejects(store.head('s'), { code: 'LS_STORE_SHUTDOWN' });
      await assert.rejects(store.append('s', 0, events(1, 1)), { code: 'LS_STORE_SHUTDOWN' });
    }));
  });
}
