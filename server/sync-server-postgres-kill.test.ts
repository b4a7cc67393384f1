/**
 * A PostgreSQL-backed node killed (SIGKILL) in the middle of pushes: two CLI nodes on one
 * database, writers on node A. When A dies, each writer reconnects to node B and resends what A
 * never acknowledged (the same event ids, renumbered on the head B reports). At the end the log
 * holds every acknowledged event, every event at most once, seqNums 1…n with no gap.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { LiveEvent } from '../src/core/live-event.ts';
import { killAllForTesting, killForTesting, startCliForTesting } from './cli-testing.ts';
import { startPostgresForTesting } from './postgres-event-store-testing.ts';
import type { PostgresForTesting } from './postgres-event-store-testing.ts';
import { connectForTesting } from './sync-client-testing.ts';
import type { TestConnection } from './sync-client-testing.ts';

const WRITERS = 4;
const BATCHES = 8;
const PER_BATCH = 2;
const KILL_AFTER_ACKS = 6;

let pg: PostgresForTesting;

function batchOf(writer: number, batch: number, head: number): LiveEvent[] {
  return Array.from({ length: PER_BATCH }, (_, i) => ({
    id: `w${writer}-b${batch}-e${i}`,
    name: 'todoCreated',
    args: { writer, batch, i },
    seqNum: head + i + 1,
    parentSeqNum: head + i,
    clientId: `w${writer}`,
    sessionId: `w${writer}-s`,
    createdAt: 1_700_000_000_000 + batch,
  }));
}

interface Writer {
  readonly acked: string[];
  reconnects: number;
  retries: number;
}

/** Pushes BATCHES batches, trying `urls` in order; moves to the next URL when a socket dies. */
async function write(n: number, urls: readonly string[], onAck: () => void): Promise<Writer> {
  const w: Writer = { acked: [], reconnects: 0, retries: 0 };
  let at = 0;
  let conn: TestConnection | undefined;
  let head = 0;
  for (let b = 0; b < BATCHES;) {
    if (conn === undefined) {
      conn = await connectForTesting(urls[at]!);
      const welcome = await conn.hello('s', null, `w${n}`);
      assert.ok(welcome.type === 'welcome', JSON.stringify(welcome));
      head = welcome.head;
    }
    const c = conn;
    const answer = await Promise.race([c.push('s', batchOf(n, b, head)), c.closed.then(() => undefined)]);
    // The test connection answers a pending request with a synthetic error when the socket dies.
    if (answer === undefined || (answer.type === 'error' && /^socket closed/.test(answer.message))) {
      conn = undefined;
      at = Math.min(at + 1, urls.length - 1);
      w.reconnects++;
      continue; // the same batch again (same ids) on the next node
    }
    if (answer.type === 'ok') {
      w.acked.push(...batchOf(n, b, 0).map((e) => e.id));
      head = answer.head;
      b++;
      onAck();
    } else if (answer.type === 'rejected') {
      head = answer.head;
      w.retries++;
    } else {
      assert.fail(`unexpected answer ${JSON.stringify(answer)}`);
    }
  }
  await conn?.close();
  return w;
}

describe('sync server on PostgreSQL, a node killed mid-push', { timeout: 90_000 }, () => {
  before(async () => { pg = await startPostgresForTesting(); });
  after(async () => { await pg.stop(); });

  it('loses nothing node A acknowledged, doubles nothing, and its writers carry on at node B', async () => {
    const children: ChildProcess[] = [];
    try {
      const schema = pg.freshSchema();
      const args = ['--port', '0', '--postgres', pg.url, '--pg-schema', schema];
      const a = await startCliForTesting(args, children);
      const b = await startCliForTesting(args, children);
      let acks = 0;
      let killed: Promise<void> | undefined;
      const writers = await Promise.all(Array.from({ length: WRITERS }, (_, n) => write(n, [a.url, b.url], () => {
        if (++acks === KILL_AFTER_ACKS) killed = killForTesting(a.child);
      })));
      await killed;
      assert.ok(killed !== undefined, 'node A was killed while writers were pushing');
      assert.ok(writers.some((w) => w.reconnects > 0), 'a writer had to move to node B');

      const reader = await connectForTesting(b.url);
      await reader.hello('s');
      reader.pull('s', 0);
      const log: LiveEvent[] = [];
      const total = WRITERS * BATCHES * PER_BATCH;
      while (log.length < total) {
        const page = await reader.take((m) => m.type === 'events');
        assert.ok(page.type === 'events');
        log.push(...page.events);
      }
      await reader.close();
      const ids = log.map((e) => e.id);
      assert.equal(new Set(ids).size, ids.length, 'no event is stored twice');
      assert.deepStrictEqual(log.map((e) => e.seqNum), Array.from({ length: log.length }, (_, i) => i + 1));
      for (const w of writers) for (const id of w.acked) assert.ok(ids.includes(id), `acknowledged event ${id} is in the log`);
      assert.equal(ids.length, total);
      console.log(`# node killed after ${KILL_AFTER_ACKS} acks: reconnects ${writers.map((w) => w.reconnects).join(',')}, worst retries ${Math.max(...writers.map((w) => w.retries))}`);
    } finally {
      killAllForTesting(children);
    }
  });
});
