/**
 * What a session (one tab's Store) needs from its leader, whatever carries it: the in-memory
 * adapter runs the leader in-process; the web adapter reaches a leader worker through the
 * SharedWorker switchboard or BroadcastChannel.
 *
 * Flow: `boot()` hands the state as a serialized SQLite image plus the head it reflects; the
 * session then `push`es commit groups (each `store.commit`, all or nothing) and hears about every
 * append (its own included, which confirms them, renumbered by the leader) through `subscribe`.
 */
import type { LsErrorWire } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import type { SyncStatus } from '../sync/sync-status.ts';

export type LeaderUpdate =
  /** Events appended by the leader, in order, from any session; `head` is the leader's head after them. */
  | { readonly _tag: 'appended'; readonly events: readonly LiveEvent[]; readonly head: number }
  /** A commit group of this session the leader could not append; the session rolls it back. */
  | { readonly _tag: 'rejected'; readonly eventIds: readonly string[]; readonly error: LsErrorWire }
  /**
   * The leader rewrote its log (sync rebase): the state as of now, and its head. `known`: pending
   * events of this session already in that state (a reconnect after a rewrite), not to apply again.
   */
  | { readonly _tag: 'reset'; readonly image: Uint8Array; readonly head: number; readonly epoch?: number; readonly known?: readonly string[] }
  /**
   * The leader rebased (sync) and its state followed by changesets: `changes` turns the state at
   * `base` (where this session is) into the state at `head`, of log epoch `epoch`. A session that
   * cannot apply it asks for the image with `resync()`.
   */
  | { readonly _tag: 'rebase'; readonly changes: Uint8Array | null; readonly base: number; readonly head: number; readonly epoch: number }
  /** The sync status changed (the leader's sync client). */
  | { readonly _tag: 'sync-status'; readonly status: SyncStatus };

export type StorageKind = 'memory' | 'opfs';

export interface LeaderStatus {
  readonly storage: StorageKind;
  /** Why the storage is what it is (e.g. "OPFS unavailable (private browsing?)"). */
  readonly storageNote?: string;
  readonly isLeaderTab: boolean;
}

export interface LeaderConnection {
  readonly status: LeaderStatus;
  /** The sync status when the leader syncs (else undefined); updates come as 'sync-status'. */
  readonly syncStatus?: SyncStatus | undefined;
  boot(): Promise<{ readonly image: Uint8Array; readonly head: number }>;
  push(groups: readonly (readonly LiveEvent[])[]): void;
  /** This session could not apply a `rebase`: deliver the leader's state image as a `reset`. */
  resync(): void;
  subscribe(cb: (update: LeaderUpdate) => void): () => void;
  /** Resolves when everything pushed so far is durable in the leader (and, with upstream, confirmed by the sync server). */
  flush(options?: { readonly upstream?: boolean }): Promise<void>;
  /** Debug exports: the leader's state and eventlog databases. */
  exportDatabases(): Promise<{ readonly state: Uint8Array; readonly eventlog: Uint8Array }>;
  close(): Promise<void>;
  /** Deletes the persisted databases of this store (after close). */
  reset?(): Promise<void>;
}

export interface AdapterArgs {
  readonly schema: LsSchema;
  readonly storeId: string;
  readonly clientId: string;
  readonly sessionId: string;
  readonly signal: AbortSignal;
  /** createStorePromise's syncPayload, for the sync server's validatePayload. */
  readonly syncPayload?: unknown;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

/**
 * An adapter may also know the ids of this context (the web adapter keeps a client id per browser
 * profile and a session id per tab); createStorePromise uses them when the app gives none.
 */
export interface AdapterIds {
  tabSessionId?(storeId: string): Promise<string>;
  clientId?(): string;
}

export type Adapter = ((args: AdapterArgs) => Promise<LeaderConnection>) & AdapterIds;
