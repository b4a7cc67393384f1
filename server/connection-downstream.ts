/**
 * Everything one connection is told about its store's log, kept gap-free.
 *
 * `known` is the highest seqNum the client holds, as far as the server can tell: what it claimed
 * (a pull's cursor, a push's base) or was sent (`events` pages, `rejected.missing`, an `ok`). All
 * sends filter by `known` at the moment they go out, and advance it, so the three paths that send
 * events (the catch-up pump, live offers from the hub, rejections) can interleave freely: each
 * event goes out at most once, in order, and the first event sent always is `known + 1`.
 *
 * The pump reads pages from the event store until a page comes back short (caught up: `live`),
 * awaits each frame's write (back-pressure: a slow reader slows only its own pump), and runs again
 * when a hint arrived meanwhile. Live offers skip the read when they continue `known` directly.
 */
import type { LiveEvent } from '../src/core/live-event.ts';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { SyncEventsMessage } from '../src/core/sync-protocol.ts';
import type { EventStore } from './event-store.ts';
import type { HubMember } from './sync-hub.ts';

export interface DownstreamOptions {
  readonly eventStore: EventStore;
  readonly storeId: string;
  readonly pageSize: number;
  /** The highest head this node knows for the store. */
  readonly head: () => number;
  /** Sends a frame; resolves once it is written (or the socket is gone). */
  readonly send: (message: SyncEventsMessage) => Promise<void>;
  /** A read failed while streaming: tell the client (not fatal) and log. */
  readonly onReadError: (pullId: string, err: unknown) => void;
}

interface Subscription {
  readonly id: string;
  live: boolean;
}

export class Downstream implements HubMember {
  #known = 0;
  #sub: Subscription | undefined;
  #pumping = false;
  #again = false;
  #closed = false;
  readonly #o: DownstreamOptions;

  constructor(options: DownstreamOptions) {
    this.#o = options;
  }

  get known(): number {
    return this.#known;
  }

  /** The client holds everything up to `seqNum` (a push's base, or an accepted push's head). */
  claim(seqNum: number): void {
    if (seqNum > this.#known) this.#known = seqNum;
  }

  /** A pull: stream from `cursor`, replacing an earlier subscription (and its cursor). */
  subscribe(id: string, cursor: number): void {
    this.#known = cursor;
    this.#sub = { id, live: false };
    this.#pump();
  }

  offer(events: readonly LiveEvent[]): void {
    const sub = this.#sub;
    if (sub === undefined || this.#closed) return;
    const fresh = events.filter((e) => e.seqNum > this.#known);
    const first = fresh[0];
    if (first === undefined) return;
    if (sub.live && !this.#pumping && first.seqNum === this.#known + 1) void this.#sendPage(sub, fresh, true);
    else this.#pump();
  }

  poke(head: number): void {
    if (this.#sub !== undefined && head > this.#known) this.#pump();
  }

  /**
   * Sends `rejected` through `reply(missing)`: the events after `base` (claimed) up to `head` this
   * connection was not sent, at most a page. Filtering, advancing `known` and `reply` happen in one
   * synchronous step after the read, so no page of the pump or a live offer can get in between and
   * open a gap (if one went out meanwhile, only what follows it is in `missing`).
   */
  async sendMissing(base: number, head: number, reply: (missing: readonly LiveEvent[]) => void): Promise<void> {
    this.claim(base);
    const from = this.#known;
    const events = head <= from ? [] : await this.#o.eventStore.read(this.#o.storeId, from, Math.min(this.#o.pageSize, head - from));
    let fresh = events.filter((e) => e.seqNum > this.#known && e.seqNum <= head);
    // A re-pull meanwhile moved `known` back below what was read: the pump resends from there.
    if (fresh[0] !== undefined && fresh[0].seqNum !== this.#known + 1) fresh = [];
    const last = fresh[fresh.length - 1];
    if (last !== undefined) this.#known = last.seqNum;
    reply(fresh);
  }

  close(): void {
    this.#closed = true;
    this.#sub = undefined;
  }

  #pump(): void {
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#runPump().finally(() => {
      this.#pumping = false;
    });
  }

  async #runPump(): Promise<void> {
    do {
      this.#again = false;
      let sub = this.#sub;
      while (sub !== undefined && !this.#closed) {
        const from = this.#known;
        let events: LiveEvent[];
        try {
          events = await this.#o.eventStore.read(this.#o.storeId, from, this.#o.pageSize);
        } catch (err) {
          this.#o.onReadError(sub.id, err);
          return;
        }
        if (this.#sub !== sub) {
          sub = this.#sub; // re-pulled meanwhile: start over from the new cursor
          continue;
        }
        const caughtUp = events.length < this.#o.pageSize;
        const fresh = events.filter((e) => e.seqNum > this.#known);
        if (fresh[0] !== undefined && fresh[0].seqNum !== this.#known + 1) {
          this.#o.onReadError(sub.id, new Error(`the event store skipped from ${this.#known} to ${fresh[0].seqNum}`));
          return;
        }
        if (fresh.length > 0 || (caughtUp && !sub.live)) await this.#sendPage(sub, fresh, caughtUp || sub.live);
        if (caughtUp) break;
      }
    } while (this.#again && !this.#closed);
  }

  #sendPage(sub: Subscription, events: readonly LiveEvent[], live: boolean): Promise<void> {
    const last = events[events.length - 1];
    if (last !== undefined) this.#known = last.seqNum;
    sub.live ||= live;
    return this.#o.send({
      v: SYNC_PROTOCOL_VERSION,
      type: 'events',
      id: sub.id,
      events,
      head: Math.max(this.#o.head(), this.#known),
      cursor: this.#known,
      live: sub.live,
    });
  }
}
