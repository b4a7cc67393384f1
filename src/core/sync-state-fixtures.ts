/**
 * Event and state builders for the sync-state tests: events named by id, numbered by position,
 * so that a test reads as "pending a b c on top of 2, upstream x a".
 */
import type { LiveEvent } from './live-event.ts';
import { createSyncState } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';

/** One event `id` at `seqNum` (parent seqNum-1); the client is taken from the id's first letter. */
export function eventForTesting(id: string, seqNum: number, overrides: Partial<LiveEvent> = {}): LiveEvent {
  return {
    id, name: 'edit', args: { id }, seqNum, parentSeqNum: seqNum - 1,
    clientId: id.startsWith('x') || id.startsWith('y') ? 'other' : 'me', sessionId: 's1', createdAt: 1000 + seqNum,
    ...overrides,
  };
}

/** Events with these ids numbered from `after`+1, each on the one before. */
export function chainForTesting(ids: readonly string[], after: number): LiveEvent[] {
  return ids.map((id, i) => eventForTesting(id, after + 1 + i));
}

/** A state with `upstreamHead` and pending events with these ids on top. */
export function stateForTesting(upstreamHead: number, pendingIds: readonly string[] = []): SyncState {
  return createSyncState({ upstreamHead, pending: chainForTesting(pendingIds, upstreamHead) });
}

export const idsForTesting = (events: readonly LiveEvent[]): string[] => events.map((e) => e.id);
export const seqNumsForTesting = (events: readonly LiveEvent[]): number[] => events.map((e) => e.seqNum);
