/**
 * Per-store fan-out on one server node. A channel exists while connections of its store exist and
 * holds what they share: the member connections, the push queue (push-turns.ts) and the highest
 * head this node has seen.
 *
 * Fan-out has two inputs: `published` (an append accepted on this node: the events are at hand, so
 * live subscribers get them without a read) and `headMoved` (an event store that spans nodes, such
 * as PostgreSQL, reports an append from anywhere: members re-read from their cursor). Both are
 * hints for the members' downstreams, which keep the no-gap rule themselves.
 */
import type { LiveEvent } from '../src/core/live-event.ts';
import { createPushTurns } from './push-turns.ts';
import type { PushTurns, SyncClock } from './push-turns.ts';

export interface HubMember {
  /** Events just appended by another member; contiguous, ascending. */
  offer(events: readonly LiveEvent[]): void;
  /** The store's head reached `head` somewhere; read what is new. */
  poke(head: number): void;
}

export interface StoreChannel {
  readonly storeId: string;
  readonly turns: PushTurns;
  /** Highest head seen on this node (from appends, reads, rejections and headMoved). */
  readonly head: number;
}

export interface SyncHub {
  join(storeId: string, member: HubMember): StoreChannel;
  leave(storeId: string, member: HubMember): void;
  published(storeId: string, events: readonly LiveEvent[], by: HubMember): void;
  /** A head learned elsewhere (another node's append, a read, a rejection): members catch up. */
  headMoved(storeId: string, head: number): void;
  /** Number of stores with connections, for logs and tests. */
  size(): number;
}

interface Channel extends StoreChannel {
  head: number;
  readonly members: Set<HubMember>;
}

export function createSyncHub(options: { readonly clock: SyncClock; readonly reservationMs: number }): SyncHub {
  const channels = new Map<string, Channel>();

  const channelFor = (storeId: string): Channel => {
    let channel = channels.get(storeId);
    if (channel === undefined) {
      channel = { storeId, turns: createPushTurns(options), members: new Set(), head: 0 };
      channels.set(storeId, channel);
    }
    return channel;
  };

  return {
    join(storeId, member) {
      const channel = channelFor(storeId);
      channel.members.add(member);
      return channel;
    },
    leave(storeId, member) {
      const channel = channels.get(storeId);
      if (channel === undefined) return;
      channel.members.delete(member);
      channel.turns.release(member);
      // A job still running keeps its own reference; appends stay safe as the store checks heads.
      if (channel.members.size === 0) channels.delete(storeId);
    },
    published(storeId, events, by) {
      const channel = channels.get(storeId);
      const last = events[events.length - 1];
      if (channel === undefined || last === undefined) return;
      if (last.seqNum > channel.head) channel.head = last.seqNum;
      for (const member of channel.members) if (member !== by) member.offer(events);
    },
    headMoved(storeId, head) {
      const channel = channels.get(storeId);
      if (channel === undefined || head <= channel.head) return;
      channel.head = head;
      for (const member of channel.members) member.poke(head);
    },
    size: () => channels.size,
  };
}
