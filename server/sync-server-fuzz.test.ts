/**
 * Hostile and malformed input to the sync server, generated from a printed seed: every message gets
 * a coded error (or a fatal close), nothing stored changes, and an honest client on another
 * connection keeps being served throughout.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { connectForTesting, syncEventsForTesting } from './sync-client-testing.ts';
import { startSyncServer } from './sync-server.ts';

const v = SYNC_PROTOCOL_VERSION;
const KNOWN_CODES = new Set([
  'LS_PROTOCOL_ERROR', 'LS_PROTOCOL_VERSION', 'LS_MESSAGE_TOO_LARGE', 'LS_BATCH_TOO_LARGE', 'LS_INVALID_BATCH',
  'LS_CURSOR_AHEAD', 'LS_UNAUTHORIZED',
]);

/** mulberry32: small, seedable, good enough to pick shapes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD: unknown[] = [null, true, -1, 0.5, 1e308, -0, '', 'x'.repeat(300), [], {}, { __proto__: { polluted: 1 } }, [null], '1', Number.MAX_SAFE_INTEGER + 2];

function hostileMessage(rand: () => number, storeId: string): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const good = syncEventsForTesting(0, 2, 'fuzzer');
  const shapes: (() => unknown)[] = [
    () => pick(WEIRD),
    () => ({ v: pick([0, 2, '1', null, 1.5]), type: 'pull', id: 'x', storeId, cursor: 0 }),
    () => ({ v, type: pick(['', 'PULL', 'drop', 'ok', 'welcome', 'events', '__proto__']), id: 'x' }),
    () => ({ v, type: 'pull', id: pick(WEIRD), storeId, cursor: pick(WEIRD) }),
    () => ({ v, type: 'push', id: 'p', storeId, batch: pick(WEIRD) }),
    () => ({ v, type: 'push', id: 'p', storeId: pick(['other-store', '', 'x'.repeat(500)]), batch: good }),
    () => ({ v, type: 'push', id: 'p', storeId, batch: good.map((e) => ({ ...e, [pick(['seqNum', 'parentSeqNum', 'id', 'name', 'clientId'])]: pick(WEIRD) })) }),
    () => ({ v, type: 'push', id: 'p', storeId, batch: [{ ...good[0]!, seqNum: 5, parentSeqNum: 4 }] }),
    () => ({ v, type: 'hello', id: 'h', storeId: pick(WEIRD), clientId: pick(WEIRD) }),
  ];
  const msg = pick(shapes)();
  const text = JSON.stringify(msg) ?? 'undefined';
  // sometimes break the JSON itself
  return rand() < 0.15 ? text.slice(0, Math.floor(rand() * text.length)) : text;
}

describe('sync server under hostile input', () => {
  it('answers random malformed and hostile messages with coded errors, storing nothing, serving others', async () => {
    const seed = Number(process.env.LS_FUZZ_SEED ?? Date.now() % 1_000_000);
    const rand = prng(seed);
    const store = await createSqliteEventStore({ path: ':memory:' });
    const server = await startSyncServer({ store });
    const honest = await connectForTesting(server.url);
    try {
      assert.equal((await honest.hello('fuzzed')).type, 'welcome');
      const first = await honest.push('fuzzed', syncEventsForTesting(0, 3, 'honest'));
      assert.equal(first.type, 'ok', `seed ${seed}`);
      let honestHead = 3;
      for (let round = 0; round < 40; round++) {
        const attacker = await connectForTesting(server.url);
        // half the rounds speak to the store after a valid hello, half without
        if (rand() < 0.5) await attacker.hello(rand() < 0.5 ? 'fuzzed' : 'another');
        const sent = hostileMessage(rand, 'fuzzed');
        attacker.send(sent);
        // A hello that happens to be well formed is answered with a welcome: that is an answer too.
        let silent: ReturnType<typeof setTimeout> | undefined;
        const answer = await Promise.race([
          attacker.take((m) => m.type === 'error' || m.type === 'ok' || m.type === 'rejected' || m.type === 'events' || m.type === 'welcome'),
          attacker.closed.then((c) => ({ type: 'closed', code: c.code }) as const),
          new Promise<{ readonly type: 'silent' }>((resolve) => { silent = setTimeout(() => resolve({ type: 'silent' }), 10_000); }),
        ]);
        clearTimeout(silent);
        assert.notEqual(answer.type, 'silent', `seed ${seed}, round ${round}: no answer in 10 s to ${sent.slice(0, 200)}`);
        if (answer.type === 'error') assert.ok(KNOWN_CODES.has(answer.code), `seed ${seed}, round ${round}: unexpected code ${answer.code} for ${sent.slice(0, 200)}`);
        if (answer.type === 'ok') {
          // only a well-formed, contiguous push for a store may be accepted; it must be stored as sent
          honestHead = (await store.head('fuzzed'));
        }
        await attacker.close();
        // the honest client is still served and the log is intact
        const next = await honest.push('fuzzed', syncEventsForTesting(honestHead, 1, 'honest'));
        if (next.type === 'rejected') honestHead = next.head;
        else {
          assert.equal(next.type, 'ok', `seed ${seed}, round ${round}: honest client not served after ${sent.slice(0, 200)}`);
          honestHead++;
        }
      }
      const log = await store.read('fuzzed', 0, 10_000);
      assert.deepEqual(log.map((e) => e.seqNum), log.map((_, i) => i + 1), `seed ${seed}: the log has gaps or duplicates`);
      for (const e of log) {
        assert.equal(typeof e.id, 'string', `seed ${seed}`);
        assert.equal(typeof e.name, 'string', `seed ${seed}`);
      }
      assert.equal(await store.head('another'), 0, `seed ${seed}: a push for another store's id landed`);
    } finally {
      await honest.close();
      await server.close();
      await store.close();
    }
  });
});
