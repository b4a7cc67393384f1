/**
 * LeaderHost: LeaderCore served to many sessions over RPC (one Endpoint per session), storage-
 * agnostic: the leader worker hands it OPFS or in-memory databases, tests a pair of in-memory ones.
 *
 * - Batching: pushes that arrive while a batch is open (everything handled in one task, up to the
 *   microtask checkpoint) go into one LeaderCore.append, hence one transaction.
 * - After a batch: each refused group goes back to its own session as `rejected`, then one
 *   `appended` with every new event goes to every subscribed session (its own events confirm a
 *   session's pending ones). Events already in the log (a session resending after failover) are
 *   deduplicated by LeaderCore and not sent again: a session that reconnects has received them by
 *   `resume`, which returns everything after the head it had.
 * - A session subscribes with `boot` (the state image; it never holds the eventlog, so boot does
 *   not grow with the log) or `resume` (catch-up after a reconnect: the events after its head, or
 *   the state image when a rebase rewrote the log since, as told by the log epoch); both run
 *   synchronously with respect to appends, so no update falls between the reply and the next
 *   `update` event.
 */
import { LsError } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { Endpoint } from '../rpc/endpoint.ts';
import { PROTOCOL_VERSION, type HelloReply, type LeaderApi, type LeaderEvents, type LeaderUpdateWire, type StorageKindWire } from '../rpc/protocol.ts';
import { serveRpc, type RpcServer } from '../rpc/rpc-server.ts';
import { transfer } from '../rpc/transfer.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { standaloneImage } from '../sqlite/standalone-image.ts';
import { storageError } from './storage-error.ts';
import type { StoredEvent } from './eventlog.ts';
import type { LeaderCore } from './leader-core.ts';
import type { RebaseChanges } from './leader-sync.ts';

export interface LeaderHostOptions {
  readonly core: LeaderCore;
  readonly eventlogDb: SqliteDatabase;
  readonly leaderId: string;
  readonly storage: StorageKindWire;
  readonly storageNote?: string;
  /** Deletes the persisted data (the worker exits afterwards). */
  readonly reset?: () => Promise<void>;
  /** `flush({ upstream: true })`: resolves when the sync server confirmed what is in the log. */
  readonly flushUpstream?: () => Promise<void>;
  /** Called after each batch that appended events (the sync client pushes them). */
  readonly afterAppend?: () => void;
  /** The sync status for a session's hello, when the leader syncs. */
  readonly syncStatus?: () => Readonly<Record<string, unknown>>;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

interface Session {
  readonly server: RpcServer<LeaderEvents>;
  subscribed: boolean;
}

interface Queued {
  readonly session: Session;
  readonly groups: readonly (readonly LiveEvent[])[];
}

const RESUME_CHUNK = 5000;

export class LeaderHost {
  readonly #o: LeaderHostOptions;
  readonly #sessions = new Set<Session>();
  #queue: Queued[] = [];
  #scheduled: Promise<void> | undefined;
  #closed = false;

  constructor(options: LeaderHostOptions) {
    this.#o = options;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Serves the leader API to one session on `endpoint`. */
  accept(endpoint: Endpoint): void {
    if (this.#closed) {
      endpoint.close?.();
      return;
    }
    const { core } = this.#o;
    let session: Session | undefined;
    const server = serveRpc<LeaderApi, LeaderEvents>(endpoint, {
      hello: (req) => {
        if (req.v !== PROTOCOL_VERSION) throw new LsError('LS_PROTOCOL_VERSION', `This tab speaks protocol ${req.v}, the leader ${PROTOCOL_VERSION}: reload every tab of this site.`);
        if (req.schemaHash !== core.schema.hash) {
          throw new LsError('LS_PROTOCOL_VERSION', 'This tab runs another version of the schema than the leader tab: reload every tab of this site.', { details: { tab: req.schemaHash, leader: core.schema.hash } });
        }
        const sync = this.#o.syncStatus?.();
        const reply: HelloReply = {
          leaderId: this.#o.leaderId, storage: this.#o.storage, head: core.head,
          ...(this.#o.storageNote === undefined ? {} : { storageNote: this.#o.storageNote }),
          ...(sync === undefined ? {} : { syncStatus: sync }),
        };
        return reply;
      },
      boot: () => {
        const snap = core.snapshot();
        const image = standaloneImage(snap.image);
        subscribe();
        return transfer({ image, head: snap.head, epoch: core.logEpoch }, [image.buffer]);
      },
      resume: ({ after, epoch, pending }) => {
        if (epoch !== core.logEpoch) {
          // A rebase rewrote the log since this session's head (while it had no leader, or before
          // it resumed): numbers past the rewrite name other events, so it takes the state instead.
          const snap = core.snapshot();
          const image = standaloneImage(snap.image);
          const known = pending.filter((id) => core.eventlog.byId(id) !== undefined);
          subscribe();
          return transfer({ _tag: 'reset' as const, image, head: snap.head, epoch: core.logEpoch, known }, [image.buffer]);
        }
        if (after > core.head) {
          throw new LsError('LS_LEADER_UNAVAILABLE', `The leader's data ends at event ${core.head} but this tab has seen ${after} (it was reset, or an in-memory leader was lost): reload the tab.`);
        }
        const events: LiveEvent[] = [];
        for (let from = after; ; ) {
          const chunk = core.eventsSince(from, RESUME_CHUNK);
          for (const e of chunk) events.push(stripStored(e));
          if (chunk.length < RESUME_CHUNK) break;
          from = chunk[chunk.length - 1]!.seqNum;
        }
        subscribe();
        return { _tag: 'events' as const, events, head: core.head };
      },
      push: (groups) => {
        if (session === undefined) return;
        this.#enqueue(session, groups);
      },
      flush: async (options) => {
        await this.#scheduled;
        if (options.upstream === true) await this.#o.flushUpstream?.();
      },
      exportDatabases: () => {
        const state = standaloneImage(core.stateDb.serialize());
        const eventlog = standaloneImage(this.#o.eventlogDb.serialize());
        return transfer({ state, eventlog }, [state.buffer, eventlog.buffer]);
      },
      reset: async () => {
        if (this.#o.reset === undefined) throw new LsError('LS_INVALID_ARGUMENT', 'This leader cannot be reset.');
        await this.#scheduled;
        await this.#o.reset();
      },
      bye: () => {
        if (session !== undefined) this.#sessions.delete(session);
        server.close();
      },
    }, { onError: (err) => this.#o.log?.('warn', 'a session message failed', err) });
    session = { server, subscribed: false };
    this.#sessions.add(session);
    const s = session;
    function subscribe(): void {
      s.subscribed = true;
    }
  }

  /** Sends an update to every subscribed session (appends of this host, or of a sync client). */
  broadcast(update: LeaderUpdateWire): void {
    for (const s of this.#sessions) if (s.subscribed) s.server.emit('update', update);
  }

  /**
   * The log was rewritten (a sync rebase): every session gets the rebase's net changeset from
   * `base`, or, when the state was rebuilt instead, the new state image.
   */
  broadcastReset(rebase?: RebaseChanges): void {
    const { core } = this.#o;
    if (rebase !== undefined) {
      const epoch = core.logEpoch;
      for (const s of this.#sessions) {
        if (s.subscribed) s.server.emit('update', { _tag: 'rebase', changes: rebase.changes?.slice() ?? null, base: rebase.base, head: core.head, epoch });
      }
      return;
    }
    const snap = core.snapshot();
    const image = standaloneImage(snap.image);
    const epoch = core.logEpoch;
    for (const s of this.#sessions) if (s.subscribed) s.server.emit('update', { _tag: 'reset', image: image.slice(), head: snap.head, epoch });
  }

  /** Resolves when every push received so far is in the databases. */
  async drained(): Promise<void> {
    await this.#scheduled;
  }

  /** Refuses new writes but keeps the sessions' channels open, so a pending reply still gets out. */
  stopWrites(): void {
    this.#closed = true;
    this.#queue = [];
  }

  close(): void {
    this.#closed = true;
    for (const s of this.#sessions) s.server.close();
    this.#sessions.clear();
    this.#queue = [];
  }

  #enqueue(session: Session, groups: readonly (readonly LiveEvent[])[]): void {
    if (this.#closed || groups.length === 0) return;
    this.#queue.push({ session, groups });
    this.#scheduled ??= Promise.resolve().then(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = undefined;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0 || this.#closed) return;
    const { core } = this.#o;
    const before = core.head;
    const groups = batch.flatMap((q) => q.groups);
    let results: readonly { readonly events: readonly StoredEvent[]; readonly error?: LsError }[];
    let head = before;
    try {
      const r = core.append(groups);
      results = r.groups;
      head = r.head;
    } catch (err) {
      // The whole transaction failed (storage full, I/O error): nothing was written. Each session
      // gets one refusal naming all its groups of this batch (one error for the app, not one per commit).
      const error = storageError(err);
      this.#o.log?.('error', error.message, err);
      const ids = new Map<Session, string[]>();
      for (const q of batch) {
        const list = ids.get(q.session) ?? [];
        for (const g of q.groups) for (const e of g) list.push(e.id);
        ids.set(q.session, list);
      }
      for (const [session, eventIds] of ids) session.server.emit('update', { _tag: 'rejected', eventIds, error: error.toWire() });
      return;
    }
    const appended: LiveEvent[] = [];
    let i = 0;
    for (const q of batch) {
      for (const g of q.groups) {
        const r = results[i++];
        if (r === undefined) continue;
        if (r.error !== undefined) q.session.server.emit('update', { _tag: 'rejected', eventIds: g.map((e) => e.id), error: r.error.toWire() });
        else for (const e of r.events) if (e.seqNum > before) appended.push(stripStored(e));
      }
    }
    if (appended.length > 0) {
      this.broadcast({ _tag: 'appended', events: appended, head });
      this.#o.afterAppend?.();
    }
  }
}

function stripStored(e: StoredEvent): LiveEvent {
  const { clientOnly: _drop, ...rest } = e;
  return rest;
}
