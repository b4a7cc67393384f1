/**
 * PostgreSQL event store: the shared EventStore contract (server/event-store-contract.ts)
 * and what only PostgreSQL has: the fused append under real concurrency, many nodes on one database,
 * exact json round trips, the primary key as second guard. Fan-out: postgres-event-store-fanout.test.ts.
 *
 * PostgreSQL: `LS_TEST_POSTGRES_URL` when set, else a throwaway cluster (scripts/pg-harness.mjs),
 * stopped after the file, also on failure. Every test works in a fresh schema.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventStore } from './event-store.ts';
import { runEventStoreContract } from './event-store-contract.ts';
import type { PostgresEventStore } from './postgres-event-store.ts';
import { eventsForTesting as batch, startPostgresForTesting } from './postgres-event-store-testing.ts';

const pg = await startPostgresForTesting();
after(() => pg.stop());

runEventStoreContract('postgres', async () => {
  const schema = pg.freshSchema();
  let current: EventStore = await pg.node(schema);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await pg.node(schema);
      return current;
    },
    async cleanup() {
      await current.close();
      await pg.query(`DROP SCHEMA "${schema}" CASCADE`);
    },
  };
});

describe('PostgreSQL event store', { timeout: 30_000 }, () => {
  it('returns args exactly as given, key order and number spelling included', async () => {
    const store = await pg.node(pg.freshSchema());
    const args = { z: 1, a: [0.1, 1e21, 5e-324, -3, 2 ** 53 - 1], m: { y: null, b: true }, s: 'nul \u0000 lone \ud800 é 😀' };
    const [event] = batch(1, 1);
    assert.ok(event);
    await store.append('s', 0, [{ ...event, args }]);
    const [back] = await store.read('s', 0, 10);
    assert.deepStrictEqual(back?.args, args);
    assert.equal(JSON.stringify(back?.args), JSON.stringify(args));
  });

  it('reads in seqNum order past 9, not in text order', async () => {
    const store = await pg.node(pg.freshSchema());
    await store.append('s', 0, batch(1, 12));
    assert.deepStrictEqual((await store.read('s', 0, 100)).map((e) => e.seqNum), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepStrictEqual((await store.read('s', 9, 2)).map((e) => e.seqNum), [10, 11]);
  });

  it('lets exactly one of 20 concurrent appends with the same expected head win, leaving no gap', async () => {
    const store = await pg.node(pg.freshSchema(), { pool: pg.pool(20) });
    await store.append('s', 0, batch(1, 3));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('s', 3, batch(4, 2, `w${i}`))));
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results) assert.deepStrictEqual(r, r.ok ? { ok: true, head: 5 } : { ok: false, reason: 'head-mismatch', head: 5 });
    assert.deepStrictEqual((await store.read('s', 0, 100)).map((e) => e.seqNum), [1, 2, 3, 4, 5]);
  });

  it('lets exactly one of 20 racing first appends create a new store', async () => {
    const store = await pg.node(pg.freshSchema(), { pool: pg.pool(20) });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('new', 0, batch(1, 1 + (i % 3), `w${i}`))));
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    const head = winners[0]?.head ?? -1;
    assert.ok(results.every((r) => r.head === head));
    assert.deepStrictEqual((await store.read('new', 0, 100)).map((e) => e.seqNum), Array.from({ length: head }, (_, i) => i + 1));
  });

  it('builds one gap-free log when writers on two nodes race and retry', async () => {
    const schema = pg.freshSchema();
    const nodes = [await pg.node(schema), await pg.node(schema)];
    const writer = async (store: PostgresEventStore, tag: string): Promise<void> => {
      for (let written = 0; written < 10;) {
        const head = await store.head('s');
        if ((await store.append('s', head, batch(head + 1, 1, tag))).ok) written++;
      }
    };
    await Promise.all(nodes.flatMap((n, i) => [writer(n, `a${i}`), writer(n, `b${i}`), writer(n, `c${i}`)]));
    const log = await nodes[1]!.read('s', 0, 1000);
    assert.deepStrictEqual(log.map((e) => e.seqNum), Array.from({ length: 60 }, (_, i) => i + 1));
    assert.equal(new Set(log.map((e) => e.id)).size, 60);
  });

  it('answers head-mismatch, not an error, when the (store_id, seq) key refuses a batch', async () => {
    const schema = pg.freshSchema();
    const store = await pg.node(schema);
    await store.append('s', 0, batch(1, 1));
    // A row past the head that the head guard cannot see: only the primary key stops the append.
    await pg.query(`INSERT INTO "${schema}".events VALUES ('s', 2, 1, 'stray', 'x', '{}', 'c', 's', 0)`);
    assert.deepStrictEqual(await store.append('s', 1, batch(2, 2)), { ok: false, reason: 'head-mismatch', head: 1 });
    assert.equal(await store.head('s'), 1);
  });

  it('answers head-mismatch by the head guard alone when the key would let a stale batch in', async () => {
    const schema = pg.freshSchema();
    const store = await pg.node(schema);
    await store.append('s', 0, batch(1, 3));
    await pg.query(`DELETE FROM "${schema}".events WHERE seq >= 1`); // head stays 3, the key sees no clash
    assert.deepStrictEqual(await store.append('s', 0, batch(1, 1)), { ok: false, reason: 'head-mismatch', head: 3 });
    assert.deepStrictEqual(await store.append('s', 2, batch(3, 1)), { ok: false, reason: 'head-mismatch', head: 3 });
    assert.deepStrictEqual(await store.read('s', 0, 10), []);
  });

  it('gives two nodes starting at once on a new schema the same backend id', async () => {
    const schema = pg.freshSchema();
    const [a, b] = await Promise.all([pg.node(schema), pg.node(schema)]);
    assert.equal(await a.backendId(), await b.backendId());
    assert.notEqual(await (await pg.node(pg.freshSchema())).backendId(), await a.backendId());
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await assert.rejects(pg.node('Robert"; DROP TABLE x; --'), { code: 'LS_INVALID_ARGUMENT' });
  });
});
