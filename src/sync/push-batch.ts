/**
 * The next push, within the server's limits from `welcome`: at most `maxBatch` of the oldest
 * pending events, and no more than fit in one `maxMessageBytes` frame (UTF-8 of the whole push
 * message). Pure, so the limits are tested without a socket.
 */
import type { LiveEvent } from '../core/live-event.ts';
import { SYNC_PROTOCOL_VERSION } from '../core/sync-protocol.ts';
import type { SyncPushMessage } from '../core/sync-protocol.ts';
import { nextPushBatch } from '../core/sync-state.ts';
import type { SyncState } from '../core/sync-state.ts';

export type PushPlan =
  | { readonly _tag: 'none' }
  | { readonly _tag: 'push'; readonly message: SyncPushMessage }
  /** The oldest pending event alone is larger than a frame may be: it can never be pushed. */
  | { readonly _tag: 'too-large'; readonly event: LiveEvent; readonly bytes: number };

const encoder = new TextEncoder();

export function byteLength(text: string): number {
  return encoder.encode(text).byteLength;
}

export function planPush(state: SyncState, limits: { readonly maxBatch: number; readonly maxMessageBytes: number }, ids: { readonly id: string; readonly storeId: string }): PushPlan {
  let batch = nextPushBatch(state, Math.max(1, limits.maxBatch));
  if (batch.length === 0) return { _tag: 'none' };
  const build = (events: readonly LiveEvent[]): SyncPushMessage => ({ v: SYNC_PROTOCOL_VERSION, type: 'push', id: ids.id, storeId: ids.storeId, batch: events });
  // Halve until it fits, then grow back by the per-event sizes: O(n) encodes in the worst case.
  let size = byteLength(JSON.stringify(build(batch)));
  while (size > limits.maxMessageBytes && batch.length > 1) {
    batch = batch.slice(0, Math.ceil(batch.length / 2));
    size = byteLength(JSON.stringify(build(batch)));
  }
  if (size > limits.maxMessageBytes) return { _tag: 'too-large', event: batch[0] as LiveEvent, bytes: size };
  const all = nextPushBatch(state, Math.max(1, limits.maxBatch));
  for (let i = batch.length; i < all.length; i++) {
    const e = all[i] as LiveEvent;
    const extra = byteLength(JSON.stringify(e)) + 1; // the comma
    if (size + extra > limits.maxMessageBytes) break;
    size += extra;
    batch = all.slice(0, i + 1);
  }
  return { _tag: 'push', message: build(batch) };
}
