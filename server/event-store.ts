/**
 * Storage of the sync server, one totally ordered log of events per store.
 *
 * The server rule lives here as a contract: `append(storeId, expectedHead, events)` succeeds only if
 * the store's head is `expectedHead` and the events are numbered `expectedHead + 1 …` without gaps;
 * then head and events change together, atomically and durably (an acknowledged append survives a
 * crash). Otherwise nothing changes and the current head is returned. Every implementation (SQLite,
 * PostgreSQL) passes `runEventStoreContract` (server/event-store-contract.ts).
 */
import type { LiveEvent } from '../src/core/live-event.ts';

export type AppendResult =
  | { readonly ok: true; readonly head: number }
  | { readonly ok: false; readonly reason: 'head-mismatch'; readonly head: number }
  | { readonly ok: false; readonly reason: 'not-contiguous'; readonly head: number };

export interface EventStore {
  /** Stable id of this storage; changes when the storage is reset, so clients detect it. */
  backendId(): Promise<string>;
  /** The store's head seqNum (0 when the store has no events). */
  head(storeId: string): Promise<number>;
  /** Appends iff head === expectedHead and events are contiguous from expectedHead + 1. */
  append(storeId: string, expectedHead: number, events: readonly LiveEvent[]): Promise<AppendResult>;
  /** Events with seqNum > afterSeqNum, ascending, at most `limit`. */
  read(storeId: string, afterSeqNum: number, limit: number): Promise<LiveEvent[]>;
  /** seqNums of the given event ids that the store already holds (for dedupe of resent pushes). */
  seqNumsOf(storeId: string, ids: readonly string[]): Promise<Map<string, number>>;
  /**
   * Optional, for stores shared by several server nodes (PostgreSQL): calls `listener(storeId, head)`
   * when a store's head moved, by an append on any node; a hint to re-read, may come late or twice.
   * The sync server uses it to feed live pulls with other nodes' events. Returns unsubscribe.
   */
  onAppended?(listener: (storeId: string, head: number) => void): () => void;
  close(): Promise<void>;
}
