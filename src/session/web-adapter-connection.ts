/**
 * The web adapter's LeaderConnection: the session's side of the leader protocol, across leader
 * failovers.
 *
 * - `head`: the last event number handed to the session (boot image head, then every `appended`).
 * - unacknowledged groups: every pushed commit group until an `appended` carries all of its
 *   events, or a `rejected` names it. `flush()` waits for the groups pushed before it.
 * - `epoch`: the log epoch of that head (a sync rebase rewrites the log's tail and bumps it).
 * - When the leader is gone (its alive lock is released), the connection links to the next leader
 *   (`connect` waits while there is none), says hello, `resume`s from `head` (the new leader's log
 *   holds everything the old one wrote, so the session learns about what was written but never
 *   acknowledged), then resends the still unacknowledged groups in order. The leader deduplicates
 *   by event id, so nothing is lost or doubled. If the log was rewritten meanwhile (another epoch:
 *   the new leader rebased before this session resumed), the numbers no longer match and the
 *   leader answers with its state image instead, delivered as a `reset` naming the pending events
 *   it already holds.
 * - A sync rebase arrives as the net changeset from the session's head (`rebase`); a session that
 *   cannot apply it calls `resync()`, which resumes under an unknown epoch to get the image.
 * - Updates are forwarded as they come (whatever their variant), buffered until the first
 *   subscriber.
 */
import { LsError } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';
import { PROTOCOL_VERSION, type HelloReply, type HelloRequest, type LeaderApi, type LeaderEvents } from '../rpc/protocol.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import type { LeaderConnection, LeaderStatus, LeaderUpdate } from './adapter.ts';
import type { LeaderLink } from './web-adapter-links.ts';
import type { SyncStatus } from '../sync/sync-status.ts';

export interface WebConnectionOptions {
  /** A link to the current leader; waits while there is none. */
  readonly connect: (signal: AbortSignal) => Promise<LeaderLink>;
  readonly hello: Omit<HelloRequest, 'v'>;
  readonly isLeaderTab: () => boolean;
  /** After close: give up leadership, etc. */
  readonly onClose?: () => void | Promise<void>;
  readonly reset?: () => Promise<void>;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

type Client = RpcClient<LeaderApi, LeaderEvents>;
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

export class WebLeaderConnection implements LeaderConnection {
  readonly #o: WebConnectionOptions;
  readonly #closing = new AbortController();
  #client: Client | undefined;
  #link: LeaderLink | undefined;
  #hello: HelloReply | undefined;
  #head = 0;
  #epoch = 0;
  #broken: LsError | undefined;
  readonly #groups = new Map<number, { readonly group: readonly LiveEvent[]; readonly left: Set<string> }>();
  readonly #groupOf = new Map<string, number>();
  #nextGroup = 1;
  #waiters: { readonly upTo: number; readonly resolve: () => void; readonly reject: (e: LsError) => void }[] = [];
  readonly #listeners = new Set<(u: LeaderUpdate) => void>();
  #buffer: LeaderUpdate[] = [];
  /** Reconnects so far (tests, devtools). */
  reconnects = 0;

  constructor(options: WebConnectionOptions) {
    this.#o = options;
  }

  #syncStatus: SyncStatus | undefined;

  get syncStatus(): SyncStatus | undefined {
    return this.#syncStatus ?? (this.#hello?.syncStatus as SyncStatus | undefined);
  }

  get status(): LeaderStatus {
    const h = this.#hello;
    return { storage: h?.storage ?? 'opfs', isLeaderTab: this.#o.isLeaderTab(), ...(h?.storageNote === undefined ? {} : { storageNote: h.storageNote }) };
  }

  async boot(): Promise<{ readonly image: Uint8Array; readonly head: number }> {
    for (;;) {
      const { client, link } = await this.#open();
      const r = await race(client.call('boot'), link.gone);
      if (!r.ok) {
        this.#drop(client, link);
        continue;
      }
      this.#head = r.value.head;
      this.#epoch = r.value.epoch;
      this.#install(client, link);
      return r.value;
    }
  }

  push(groups: readonly (readonly LiveEvent[])[]): void {
    if (this.#closing.signal.aborted) throw new LsError('LS_STORE_SHUTDOWN', 'The leader connection is closed; this store was shut down.');
    if (this.#broken !== undefined) throw this.#broken;
    for (const group of groups) {
      const key = this.#nextGroup++;
      this.#groups.set(key, { group, left: new Set(group.map((e) => e.id)) });
      for (const e of group) this.#groupOf.set(e.id, key);
    }
    // Without a leader the groups wait here and go out on reconnect.
    if (this.#client !== undefined && groups.length > 0) this.#client.notify('push', groups);
  }

  /**
   * The session could not apply a rebase: link again and resume under an epoch no log has, so
   * the leader answers with its state image (a `reset`); nothing arrives from the old link after
   * this, and unacknowledged groups are resent (deduplicated by id) as after a failover.
   */
  resync(): void {
    this.#epoch = -1;
    const client = this.#client;
    const link = this.#link;
    if (client === undefined || link === undefined) return; // reconnecting already: it resumes with epoch -1
    this.#drop(client, link);
    if (!this.#closing.signal.aborted) void this.#reconnect();
  }

  subscribe(cb: (update: LeaderUpdate) => void): () => void {
    this.#listeners.add(cb);
    if (this.#buffer.length > 0) {
      const buffered = this.#buffer;
      this.#buffer = [];
      queueMicrotask(() => {
        for (const u of buffered) this.#deliver(u);
      });
    }
    return () => this.#listeners.delete(cb);
  }

  async flush(options: { readonly upstream?: boolean } = {}): Promise<void> {
    if (this.#broken !== undefined) throw this.#broken;
    const upTo = this.#nextGroup - 1;
    if (this.#oldestUnacked() <= upTo) {
      await new Promise<void>((resolve, reject) => this.#waiters.push({ upTo, resolve, reject }));
    }
    if (options.upstream === true) await this.#callRetrying((c) => c.call('flush', { upstream: true }));
  }

  exportDatabases(): Promise<{ readonly state: Uint8Array; readonly eventlog: Uint8Array }> {
    return this.#callRetrying((c) => c.call('exportDatabases'));
  }

  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    const client = this.#client;
    if (client !== undefined && !client.isClosed) {
      try {
        client.notify('bye');
      } catch {
        // the leader is already gone
      }
    }
    if (client !== undefined && this.#link !== undefined) this.#drop(client, this.#link);
    this.#listeners.clear();
    const shut = new LsError('LS_STORE_SHUTDOWN', 'The store was shut down before its leader acknowledged these commits.');
    for (const w of this.#waiters.splice(0)) w.reject(shut);
    await this.#o.onClose?.();
  }

  async reset(): Promise<void> {
    await this.#o.reset?.();
  }

  /** Links to a leader and says hello; retries when that leader dies first. */
  async #open(): Promise<{ client: Client; link: LeaderLink }> {
    for (let attempt = 0; ; attempt++) {
      if (this.#closing.signal.aborted) throw new LsError('LS_STORE_SHUTDOWN', 'The store was shut down while connecting to its leader.');
      let link: LeaderLink;
      try {
        link = await this.#o.connect(this.#closing.signal);
      } catch (err) {
        // the switchboard restarted under a waiting link: try again; anything else is final
        if (!(err instanceof LsError) || err.code !== 'LS_LEADER_UNAVAILABLE' || this.#closing.signal.aborted) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        continue;
      }
      const client: Client = new RpcClient(link.endpoint);
      const r = await race(client.call('hello', { v: PROTOCOL_VERSION, ...this.#o.hello }), link.gone);
      if (r.ok) {
        this.#hello = r.value;
        this.#syncStatus = undefined;
        return { client, link };
      }
      this.#drop(client, link);
      // The switchboard may route to a leader that just died until it notices: back off a little.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
    }
  }

  #install(client: Client, link: LeaderLink): void {
    this.#client = client;
    this.#link = link;
    client.on('update', (u) => this.#onUpdate(u as unknown as LeaderUpdate));
    void link.gone.then(() => {
      if (this.#client !== client) return;
      this.#drop(client, link);
      if (!this.#closing.signal.aborted) void this.#reconnect();
    });
  }

  #drop(client: Client, link: LeaderLink): void {
    if (this.#client === client) {
      this.#client = undefined;
      this.#link = undefined;
    }
    client.close(new LsError('LS_LEADER_UNAVAILABLE', 'The leader went away; the call is retried with the next leader.'));
    link.dispose();
  }

  async #reconnect(): Promise<void> {
    this.reconnects++;
    try {
      for (;;) {
        const { client, link } = await this.#open();
        const epoch = this.#epoch;
        const r = await race(client.call('resume', { after: this.#head, epoch, pending: [...this.#groupOf.keys()] }), link.gone);
        // resync() while this resume was in flight: its events answer the old question; ask again.
        if (!r.ok || (this.#epoch !== epoch && r.value._tag === 'events')) {
          this.#drop(client, link);
          continue;
        }
        this.#install(client, link);
        const reply = r.value;
        if (reply._tag === 'reset') this.#onUpdate({ _tag: 'reset', image: reply.image, head: reply.head, epoch: reply.epoch, known: reply.known });
        else if (reply.events.length > 0) this.#onUpdate({ _tag: 'appended', events: reply.events, head: reply.head });
        const pending = [...this.#groups.values()].map((g) => g.group);
        if (pending.length > 0) client.notify('push', pending);
        return;
      }
    } catch (err) {
      if (this.#closing.signal.aborted) return;
      this.#broken = err instanceof LsError ? err : new LsError('LS_LEADER_UNAVAILABLE', 'Could not reconnect to the leader.', { cause: err });
      this.#o.log?.('error', this.#broken.message, err);
      for (const w of this.#waiters.splice(0)) w.reject(this.#broken);
    }
  }

  #onUpdate(u: LeaderUpdate): void {
    if (this.#closing.signal.aborted) return;
    if (u._tag === 'appended') for (const e of u.events) this.#ack(e.id);
    else if (u._tag === 'rejected') for (const id of u.eventIds) this.#ack(id);
    else if (u._tag === 'sync-status') this.#syncStatus = u.status;
    else if (u._tag === 'reset') {
      if (u.epoch !== undefined) this.#epoch = u.epoch;
      for (const id of u.known ?? []) this.#ack(id);
    } else if (u._tag === 'rebase') this.#epoch = u.epoch;
    const head = (u as { head?: unknown }).head;
    // A reset or rebase (the leader rewrote its log) may also move the head back.
    if (typeof head === 'number' && (head > this.#head || u._tag === 'reset' || u._tag === 'rebase')) this.#head = head;
    if (this.#listeners.size === 0) this.#buffer.push(u);
    else this.#deliver(u);
    this.#wake();
  }

  #deliver(u: LeaderUpdate): void {
    for (const l of [...this.#listeners]) l(u);
  }

  #ack(eventId: string): void {
    const key = this.#groupOf.get(eventId);
    if (key === undefined) return;
    this.#groupOf.delete(eventId);
    const g = this.#groups.get(key);
    if (g === undefined) return;
    g.left.delete(eventId);
    if (g.left.size === 0) this.#groups.delete(key);
  }

  #oldestUnacked(): number {
    for (const key of this.#groups.keys()) return key; // Map keeps insertion order: keys ascend
    return Number.POSITIVE_INFINITY;
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const oldest = this.#oldestUnacked();
    const done = this.#waiters.filter((w) => w.upTo < oldest);
    this.#waiters = this.#waiters.filter((w) => w.upTo >= oldest);
    for (const w of done) w.resolve();
  }

  /** A call to the current leader, repeated with the next one if the leader dies meanwhile. */
  async #callRetrying<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.#closing.signal.aborted) throw new LsError('LS_STORE_SHUTDOWN', 'The store was shut down.');
      if (this.#broken !== undefined) throw this.#broken;
      const client = this.#client;
      if (client === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      try {
        return await fn(client);
      } catch (err) {
        if (client === this.#client || !(err instanceof LsError) || err.code !== 'LS_LEADER_UNAVAILABLE') throw err;
      }
    }
  }
}

async function race<T>(p: Promise<T>, gone: Promise<void>): Promise<Outcome<T>> {
  return Promise.race([p.then((value) => ({ ok: true as const, value })), gone.then(() => ({ ok: false as const }))]);
}
