/**
 * The leader as the sync client's host (src/sync/sync-client.ts `SyncHost`): it holds the sync
 * state (upstream head persisted in the eventlog db, pending = synced events above it, numbered
 * by `sync_seq`), merges what the server sends with the pure state machine, and carries out the
 * result on the leader's databases:
 *
 * - advance: confirmed events only move the upstream head; foreign events are appended after
 *   everything local (appendUpstream), and announced to the tabs like any append.
 * - rebase: the eventlog's tail is rewritten from the oldest moved event on, in this order: the
 *   upstream events, our pending events renumbered on top (as the conflict hook left them), then
 *   the clientOnly events of that tail. The log epoch is bumped in the same transaction. Then the
 *   state follows (LeaderCore.rebaseState): the old tail's changesets are undone newest first and
 *   the new tail is materialized, so a rebase costs the moved events, not the log (a replay of
 *   the log only when a changeset is missing). State-db's epoch check makes a crash between the
 *   two commits safe: the next open rebuilds. The tabs then apply the rebase's net changeset
 *   (`onReset` with the changes), or reload the state image after a rebuild.
 * - after every advance, changesets below the oldest pending event are pruned: no rebase can
 *   move those events any more.
 */
import type { LiveEvent } from '../core/live-event.ts';
import { createSyncState, merge } from '../core/sync-state.ts';
import type { MergeResult, OnConflict, SyncState } from '../core/sync-state.ts';
import type { LsError } from '../core/errors.ts';
import type { StoredEvent } from './eventlog.ts';
import type { LeaderCore, RebaseStateResult } from './leader-core.ts';
import { BACKEND_ID_KEY, LOG_EPOCH_KEY, UPSTREAM_HEAD_KEY } from './system-tables.ts';

export { BACKEND_ID_KEY, UPSTREAM_HEAD_KEY };

export type UpstreamInput =
  | { readonly _tag: 'upstream-advance'; readonly events: readonly LiveEvent[] }
  | { readonly _tag: 'push-ack'; readonly events: readonly LiveEvent[] }
  | { readonly _tag: 'push-rejected'; readonly head: number; readonly missing: readonly LiveEvent[] };

export interface LeaderSyncOptions {
  readonly core: LeaderCore;
  readonly onConflict?: OnConflict;
  /** Foreign events appended after the local head: announce them to the tabs. */
  readonly onAppended: (events: readonly StoredEvent[], writtenTables: ReadonlySet<string>) => void;
  /**
   * The log was rewritten and the state followed: with `rebase`, by changesets (tabs at `base`
   * apply `changes`); without, by a rebuild (tabs reload the state image).
   */
  readonly onReset: (rebase?: RebaseChanges) => void;
  /** Pending events the conflict hook dropped, upstream events quarantined, a failing hook. */
  readonly onReport?: (what: { readonly dropped?: readonly LiveEvent[]; readonly quarantined?: readonly LsError[]; readonly hookError?: LsError }) => void;
}

/** The net change of a rebase, from the state at local seq `base` to the state at the new head. */
export interface RebaseChanges {
  readonly changes: Uint8Array | null;
  readonly base: number;
}

export class LeaderSync {
  readonly #o: LeaderSyncOptions;
  /** How the state followed the last rebase (tests, devtools). */
  lastRebase: RebaseStateResult | undefined;

  constructor(options: LeaderSyncOptions) {
    this.#o = options;
    options.core.enableUndoLog();
  }

  get syncState(): SyncState {
    const log = this.#o.core.eventlog;
    const upstreamHead = log.getSyncNumber(UPSTREAM_HEAD_KEY);
    return createSyncState({ upstreamHead, pending: log.pendingSynced(upstreamHead) });
  }

  get backendId(): string | undefined {
    return this.#o.core.eventlog.getSync(BACKEND_ID_KEY);
  }

  setBackendId(id: string): void {
    this.#o.core.eventlog.setSync(BACKEND_ID_KEY, id);
  }

  receiveUpstream(input: UpstreamInput): MergeResult {
    const r = merge(this.syncState, input, this.#o.onConflict === undefined ? {} : { onConflict: this.#o.onConflict });
    if (r._tag === 'reject') return r;
    const { core } = this.#o;
    if (r._tag === 'advance') {
      const head = { [UPSTREAM_HEAD_KEY]: String(r.state.upstreamHead) };
      if (r.apply.length === 0) core.eventlog.savepoint(() => core.eventlog.setSync(UPSTREAM_HEAD_KEY, head[UPSTREAM_HEAD_KEY]));
      else {
        const out = core.appendUpstream(r.apply, head);
        if (out.quarantined.length > 0) this.#o.onReport?.({ quarantined: out.quarantined });
        this.#o.onAppended(out.events, out.writtenTables);
      }
      core.pruneUndo();
      return r;
    }
    const oldHead = core.head;
    const from = this.#rewrite(r.rollback, r.apply, r.reapply, r.state.upstreamHead);
    const rebased = core.rebaseState(from, oldHead);
    this.lastRebase = rebased;
    if (r.dropped.length > 0 || r.hookError !== undefined || rebased.quarantined.length > 0) {
      this.#o.onReport?.({
        dropped: r.dropped,
        ...(r.hookError === undefined ? {} : { hookError: r.hookError }),
        ...(rebased.quarantined.length === 0 ? {} : { quarantined: rebased.quarantined }),
      });
    }
    this.#o.onReset(rebased.mode === 'undo' ? { changes: rebased.changes ?? null, base: oldHead } : undefined);
    return r;
  }

  /** Rewrites the eventlog from the oldest rolled-back event on (see the file header); returns that local seq. */
  #rewrite(rollback: readonly LiveEvent[], apply: readonly LiveEvent[], reapply: readonly LiveEvent[], upstreamHead: number): number {
    const log = this.#o.core.eventlog;
    const oldest = rollback[rollback.length - 1];
    const from = oldest === undefined ? log.head() + 1 : log.localSeqOf(oldest.id) ?? log.head() + 1;
    const tail = log.tail(from);
    const clientOnly = tail.filter((e) => e.clientOnly);
    log.savepoint(() => {
      log.deleteFrom(from);
      let seq = from - 1;
      const put = (e: LiveEvent, clientOnlyEvent: boolean, syncSeq: number | null): void => {
        if (log.byId(e.id) !== undefined) return; // confirmed earlier in this rewrite
        seq++;
        log.insert({ ...e, seqNum: seq, parentSeqNum: seq - 1, clientOnly: clientOnlyEvent }, syncSeq);
      };
      for (const e of apply) put(e, false, e.seqNum);
      for (const e of reapply) put(e, false, e.seqNum);
      for (const e of clientOnly) put(e, true, null);
      log.setSync(UPSTREAM_HEAD_KEY, String(upstreamHead));
      log.setSync(LOG_EPOCH_KEY, String(log.getSyncNumber(LOG_EPOCH_KEY) + 1));
    });
    return from;
  }
}
