/**
 * Cross-node fan-out of the PostgreSQL event store: appends on one node reach another node's
 * `onAppended` by NOTIFY; lost notifications are recovered by the poll fallback and after a LISTEN
 * reconnect; NOTIFYs are coalesced per store. Two store instances on one database = two nodes.
 *
 * "Lost" notifications are made by appending through SQL behind the stores' backs (no NOTIFY at all).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import type { PostgresEventStore } from './postgres-event-store.ts';
import { createPostgresEventStoreFanout } from './postgres-event-store-fanout.ts';
import { eventsForTesting as batch, startPostgresForTesting } from './postgres-event-store-testing.ts';

const pg = await startPostgresForTesting();
after(() => pg.stop());

/** Resolves with the first head ≥ `atLeast` that `store` reports for `storeId`. */
function appended(store: PostgresEventStore, storeId: string, atLeast: number): Promise<number> {
  return new Promise((resolve) => {
    const off = store.onAppended((id, head) => {
      if (id === storeId && head >= atLeast) {
        off();
        resolve(head);
      }
    });
  });
}

let serial = 0;
async function appendWithoutNotify(schema: string, storeId: string, head: number): Promise<void> {
  await pg.query(`INSERT INTO "${schema}".stores (store_id, head) VALUES ($1, $2)
    ON CONFLICT (store_id) DO UPDATE SET head = EXCLUDED.head`, [storeId, head]);
  await pg.query(`INSERT INTO "${schema}".events VALUES ($1, $2, $3, $4, 'todoCreated', '{}', 'c', 's', 0)`,
    [storeId, head, head - 1, `silent-${head}-${serial++}`]);
}

const listenPids = async (nodeName: string): Promise<number[]> =>
  (await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [`ls-sync-listen:${nodeName}`])).map((r) => r.pid);

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

describe('PostgreSQL event store fan-out', { timeout: 30_000 }, () => {
  it('tells node B about an append made on node A', async () => {
    const schema = pg.freshSchema();
    const [a, b] = [await pg.node(schema), await pg.node(schema)];
    const heard = appended(b, 'shared', 2);
    await a.append('shared', 0, batch(1, 2));
    assert.equal(await heard, 2);
  });

  it('tells the appending node its own listeners before append resolves', async () => {
    const a = await pg.node(pg.freshSchema());
    const heard: Array<[string, number]> = [];
    a.onAppended((id, head) => heard.push([id, head]));
    await a.append('s', 0, batch(1, 1));
    assert.deepStrictEqual(heard, [['s', 1]]);
  });

  it('sends a burst of NOTIFYs for a store in increasing order, ending with the latest head', async () => {
    const schema = pg.freshSchema();
    const a = await pg.node(schema);
    const client = await pg.pool(1).connect();
    const payloads: string[] = [];
    client.on('notification', (m) => payloads.push(m.payload ?? ''));
    await client.query(`LISTEN "${schema}"`);
    for (let head = 0; head < 20; head++) await a.append('burst', head, batch(head + 1, 1));
    await until(async () => payloads.at(-1) === 'burst:20');
    const heads = payloads.map((p) => Number(p.split(':')[1]));
    assert.deepStrictEqual(heads, [...new Set(heads)].sort((x, y) => x - y));
    client.release();
  });

  it('keeps at most one NOTIFY per store in flight and sends only the latest head after it', async () => {
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => { release = r; });
    const fakePool = { query: async (_sql: string, values: string[]) => { sent.push(values[1] ?? ''); await gate; } };
    const fanout = await createPostgresEventStoreFanout({
      connectionString: pg.url, pool: fakePool as unknown as Pool, channel: pg.freshSchema(), nodeName: 'coalesce',
      pollIntervalMs: 0, maxWatchedStores: 10, readHeads: async () => new Map(),
    });
    for (let head = 1; head <= 10; head++) fanout.published('s', head);
    fanout.published('t', 7);
    assert.deepStrictEqual(sent, ['s:1', 't:7']);
    release();
    await fanout.close(); // waits for the queued NOTIFYs
    assert.deepStrictEqual(sent, ['s:1', 't:7', 's:10']);
  });

  it('reports an append whose notification was lost on poll()', async () => {
    const schema = pg.freshSchema();
    const b = await pg.node(schema);
    assert.equal(await b.head('s'), 0); // B now watches 's'
    await appendWithoutNotify(schema, 's', 1);
    const heard = appended(b, 's', 1);
    await b.poll();
    assert.equal(await heard, 1);
  });

  it('reports a lost notification by its poll timer without being asked', async () => {
    const schema = pg.freshSchema();
    const b = await pg.node(schema, { pollIntervalMs: 20 });
    await b.head('s');
    const heard = appended(b, 's', 1);
    await appendWithoutNotify(schema, 's', 1);
    assert.equal(await heard, 1);
  });

  it('polls only the most recently used stores beyond maxWatchedStores', async () => {
    const asked: string[][] = [];
    const fanout = await createPostgresEventStoreFanout({
      connectionString: pg.url, pool: pg.pool(1), channel: pg.freshSchema(), nodeName: 'lru',
      pollIntervalMs: 0, maxWatchedStores: 2, readHeads: async (ids) => { asked.push([...ids]); return new Map(); },
    });
    for (const id of ['a', 'b', 'c', 'b']) fanout.watch(id);
    await fanout.poll();
    await fanout.close();
    assert.deepStrictEqual(asked, [['c', 'b']]);
  });

  it('hears appends again after its LISTEN connection was killed', async () => {
    const schema = pg.freshSchema();
    const nodeName = `b-${serial++}`;
    const [a, b] = [await pg.node(schema), await pg.node(schema, { nodeName })];
    const [old] = await listenPids(nodeName);
    await pg.query('SELECT pg_terminate_backend($1)', [old]);
    await until(async () => (await listenPids(nodeName)).some((pid) => pid !== old));
    const heard = appended(b, 's', 1);
    await a.append('s', 0, batch(1, 1));
    assert.equal(await heard, 1);
  });

  it('reports an append made while its LISTEN connection was down once it reconnects', async () => {
    const schema = pg.freshSchema();
    const nodeName = `b-${serial++}`;
    const b = await pg.node(schema, { nodeName });
    await b.head('s');
    const heard = appended(b, 's', 1);
    const [old] = await listenPids(nodeName);
    await pg.query('SELECT pg_terminate_backend($1)', [old]);
    await until(async () => !(await listenPids(nodeName)).includes(old ?? -1));
    await appendWithoutNotify(schema, 's', 1); // no NOTIFY at all: only the poll after reconnecting sees it
    assert.equal(await heard, 1);
  });

  it('closes its LISTEN connection on close()', async () => {
    const nodeName = `c-${serial++}`;
    const store = await pg.node(pg.freshSchema(), { nodeName });
    assert.equal((await listenPids(nodeName)).length, 1);
    await store.close();
    await until(async () => (await listenPids(nodeName)).length === 0);
  });
});
