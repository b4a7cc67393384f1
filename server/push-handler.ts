/**
 * One push, from a parsed `push` message to its answer (`ok`, `rejected` or `error`).
 *
 * 1. Dedupe: the events the store already holds (by id) must be a prefix of the batch; they are
 *    acknowledged at their stored seqNums. A batch held entirely is answered at once.
 * 2. The rest runs as a job on its store's push queue (push-turns.ts) and is appended iff its
 *    parent is the head (the event store checks that atomically).
 * 3. Accepted: the pusher's downstream claims the new head, the hub publishes the events to the
 *    other connections, then `ok` goes out, all without an await in between, so no other frame can
 *    get between the append and its acknowledgement on this connection.
 *    Rejected: `missing` is read, the pusher reserves the store, `rejected` goes out; then the
 *    pusher's own pull stream catches up past `missing` if it ends before the head.
 * A racing duplicate (the same events pushed on two connections) loses at the store and is
 * answered as a rejection whose `missing` holds those events, which the client sees as confirmed.
 */
import { isLsError } from '../src/core/errors.ts';
import type { LiveEvent } from '../src/core/live-event.ts';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { SyncPushMessage, SyncServerMessage } from '../src/core/sync-protocol.ts';
import type { Downstream } from './connection-downstream.ts';
import type { EventStore } from './event-store.ts';
import type { SyncLog } from './sync-log.ts';
import type { StoreChannel, SyncHub } from './sync-hub.ts';

export interface PushContext {
  readonly eventStore: EventStore;
  readonly hub: SyncHub;
  readonly log: SyncLog;
}

export interface PushSession {
  /** For logs. */
  readonly connectionId: number;
  readonly storeId: string;
  readonly channel: StoreChannel;
  readonly downstream: Downstream;
  send(message: SyncServerMessage): void;
  sendError(id: string, code: 'LS_INVALID_BATCH' | 'LS_STORAGE_ERROR' | 'LS_INTERNAL', message: string, details?: Record<string, string>): void;
}

const v = SYNC_PROTOCOL_VERSION;

export async function handlePush(ctx: PushContext, s: PushSession, msg: SyncPushMessage): Promise<void> {
  const { eventStore } = ctx;
  const batch = msg.batch;
  try {
    const stored = await eventStore.seqNumsOf(s.storeId, batch.map((e) => e.id));
    let prefix = 0;
    while (prefix < batch.length && stored.has(batch[prefix]?.id ?? '')) prefix++;
    const rest = batch.slice(prefix);
    const strayIndex = rest.findIndex((e) => stored.has(e.id));
    if (strayIndex >= 0) {
      const stray = rest[strayIndex] as LiveEvent;
      s.sendError(msg.id, 'LS_INVALID_BATCH',
        `Event ${stray.id} is already stored, but an event before it in the batch is not: pull, rebase your pending events and push them again.`,
        { eventId: stray.id });
      return;
    }
    const storedSeqNums = batch.slice(0, prefix).map((e) => stored.get(e.id) as number);
    if (rest.length === 0) {
      const head = await eventStore.head(s.storeId);
      ctx.log('info', 'push deduplicated', { connection: s.connectionId, storeId: s.storeId, events: batch.length, head });
      s.send({ v, type: 'ok', id: msg.id, head, seqNums: storedSeqNums });
      return;
    }
    await s.channel.turns.run(s.downstream, async (turn) => {
      const base = (rest[0] as LiveEvent).parentSeqNum;
      const result = await eventStore.append(s.storeId, base, rest);
      if (result.ok) {
        s.downstream.claim(result.head);
        ctx.hub.published(s.storeId, rest, s.downstream);
        turn.accepted();
        s.send({ v, type: 'ok', id: msg.id, head: result.head, seqNums: [...storedSeqNums, ...rest.map((e) => e.seqNum)] });
        ctx.log('info', 'push accepted', { connection: s.connectionId, storeId: s.storeId, events: rest.length, head: result.head, deduplicated: prefix });
        return;
      }
      if (result.reason === 'not-contiguous') {
        s.sendError(msg.id, 'LS_INVALID_BATCH', 'The batch is not numbered contiguously: number it seqNum = parentSeqNum + 1 from its first parent.');
        return;
      }
      ctx.hub.headMoved(s.storeId, result.head);
      await s.downstream.sendMissing((batch[0] as LiveEvent).parentSeqNum, result.head, (missing) => {
        const reservedMs = turn.reserve(result.head);
        s.send({ v, type: 'rejected', id: msg.id, head: result.head, missing, reservedMs });
        ctx.log('info', 'push rejected', {
          connection: s.connectionId, storeId: s.storeId, base, head: result.head, missing: missing.length, reservedMs,
        });
      });
      s.downstream.poke(result.head);
      if (base > result.head) {
        ctx.log('warn', 'push based past the head: the client holds events this server does not (reset backend?)', {
          connection: s.connectionId, storeId: s.storeId, base, head: result.head,
        });
      }
    });
  } catch (err) {
    const storage = isLsError(err, 'LS_STORAGE_ERROR');
    ctx.log('error', 'push failed', { connection: s.connectionId, storeId: s.storeId, error: String(err) });
    s.sendError(msg.id, storage ? 'LS_STORAGE_ERROR' : 'LS_INTERNAL',
      `The server could not process the push (${storage ? 'storage error' : 'internal error'}). Push it again later: events it already stored are deduplicated.`);
  }
}
