/**
 * Every message that crosses a thread in the web adapter, as types only (no logic), with one
 * version number. Four conversations:
 *
 * - RPC (rpc-client.ts / rpc-server.ts): request → result | error, one-way notes, and events from
 *   the serving side, over any Endpoint (MessagePort, or a BroadcastChannel address pair).
 * - Leader API: what a session asks its leader worker (`LeaderApi`), and the `update` event the
 *   leader sends every session after each append (a LeaderUpdate, forwarded as plain data).
 * - Leader worker lifecycle: the tab that won the election sends `LeaderWorkerInit`; the worker
 *   answers `ready` or `failed`; `connect` hands it the MessagePort of one session.
 * - Switchboard (the SharedWorker) and its BroadcastChannel stand-in: a leader's tab registers a
 *   control port, a session asks to be connected, the switchboard forwards the session's port.
 *
 * A leader is alive while it holds its "alive lock" (a Web Lock named in `aliveLock`): anyone who
 * wants to know when it dies requests that lock in shared mode and is granted it then.
 */
import type { LsErrorWire } from '../core/errors.ts';
import type { LiveEvent } from '../core/live-event.ts';

/** Bumped on any incompatible change of a message below; both sides refuse other versions. */
export const PROTOCOL_VERSION = 3;

// ── RPC ──────────────────────────────────────────────────────────────────────────────────────
export type RpcMessage =
  | { readonly v: number; readonly t: 'req'; readonly id: number; readonly method: string; readonly args: readonly unknown[] }
  | { readonly v: number; readonly t: 'note'; readonly method: string; readonly args: readonly unknown[] }
  | { readonly v: number; readonly t: 'res'; readonly id: number; readonly value: unknown }
  | { readonly v: number; readonly t: 'err'; readonly id: number; readonly error: LsErrorWire }
  | { readonly v: number; readonly t: 'evt'; readonly name: string; readonly data: unknown };

// ── Leader API ───────────────────────────────────────────────────────────────────────────────
export type StorageKindWire = 'memory' | 'opfs';

export interface HelloRequest {
  readonly v: number;
  readonly schemaHash: string;
  readonly sessionId: string;
  readonly clientId: string;
}

export interface HelloReply {
  readonly leaderId: string;
  readonly storage: StorageKindWire;
  readonly storageNote?: string;
  readonly head: number;
  /** The leader's sync status (a SyncStatus, src/sync/sync-status.ts) when it syncs. */
  readonly syncStatus?: Readonly<Record<string, unknown>>;
}

/** A LeaderUpdate (src/session/adapter.ts) as data: forwarded whatever its variant. */
export interface LeaderUpdateWire {
  readonly _tag: string;
  readonly [field: string]: unknown;
}

/**
 * What a reconnecting session knows: the head it has seen, the log epoch that head belongs to
 * (bumped whenever a sync rebase rewrites the log's tail, so event numbers of another epoch name
 * other events), and the ids of its commits not acknowledged yet.
 */
export interface ResumeRequest {
  readonly after: number;
  readonly epoch: number;
  readonly pending: readonly string[];
}

export type ResumeReply =
  /** Same epoch: every event after `after`. */
  | { readonly _tag: 'events'; readonly events: readonly LiveEvent[]; readonly head: number }
  /**
   * The log was rewritten since the session's head: the state image instead, and which of its
   * pending ids the log already holds (they are in the image; the session must not apply them again).
   */
  | { readonly _tag: 'reset'; readonly image: Uint8Array; readonly head: number; readonly epoch: number; readonly known: readonly string[] };

export interface LeaderApi {
  hello(request: HelloRequest): HelloReply;
  /** The state image, its head and log epoch; from now on this connection receives every update. */
  boot(): { readonly image: Uint8Array; readonly head: number; readonly epoch: number };
  /** Catch-up after a reconnect (see ResumeRequest); from now on, every update. */
  resume(request: ResumeRequest): ResumeReply;
  /** One-way: commit groups; acknowledged by the `update` that carries them. */
  push(groups: readonly (readonly LiveEvent[])[]): void;
  flush(options: { readonly upstream?: boolean }): void;
  exportDatabases(): { readonly state: Uint8Array; readonly eventlog: Uint8Array };
  /** Deletes the persisted data; the leader worker then exits, the next leader starts empty. */
  reset(): void;
  /** One-way: this session leaves. */
  bye(): void;
}

export interface LeaderEvents {
  update: LeaderUpdateWire;
}

// ── Leader worker lifecycle ──────────────────────────────────────────────────────────────────
export interface LeaderWorkerInit {
  readonly t: 'init';
  readonly v: number;
  readonly storeId: string;
  /** Module URL whose `schema` export (or default export) is the store's schema. */
  readonly schemaUrl: string;
  readonly schemaHash: string;
  readonly storage: StorageKindWire;
  readonly storageNote?: string;
  /** OPFS directory holding the store's files. */
  readonly directory: string;
  readonly resetPersistence: boolean;
  readonly aliveLock: string;
  /**
   * Held by the spawning tab for the worker's life. The worker requests it and exits when it is
   * granted: its tab is gone. (Chromium can keep a crashed tab's worker running, still holding the
   * OPFS handles the next leader needs.)
   */
  readonly tabLock: string;
  /** BroadcastChannel on which sessions without SharedWorker reach the leader. */
  readonly broadcastChannel: string;
  readonly wasmUrl?: string;
  /** Sync with this server; `payload` is createStorePromise's syncPayload (JSON). */
  readonly sync?: { readonly url: string; readonly payload?: unknown };
  readonly clientId?: string;
}

export type LeaderWorkerReport =
  /** The worker holds its alive lock: from now on its death releases that lock. */
  | { readonly t: 'started' }
  | { readonly t: 'ready'; readonly storage: StorageKindWire; readonly storageNote?: string }
  /** `retry`: worth another worker (OPFS handles still held by a dying leader, …). */
  | { readonly t: 'failed'; readonly error: LsErrorWire; readonly retry: boolean }
  | { readonly t: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

/** To the leader worker (from its tab, or from the switchboard over the control port). */
export interface ConnectMessage {
  readonly t: 'connect';
  readonly port: MessagePort;
}

/** From its tab: a control port from the switchboard (again after the switchboard restarted). */
export interface ControlMessage {
  readonly t: 'control';
  readonly port: MessagePort;
}

/** From its tab: close the databases and exit (the tab's store shuts down). */
export interface ShutdownMessage {
  readonly t: 'shutdown';
}

// ── Switchboard ──────────────────────────────────────────────────────────────────────────────
export type SwitchboardRequest =
  | { readonly t: 'register'; readonly v: number; readonly storeId: string; readonly aliveLock: string; readonly control: MessagePort }
  | { readonly t: 'connect'; readonly v: number; readonly storeId: string; readonly requestId: string; readonly port: MessagePort };

export type SwitchboardReply =
  /**
   * First message on every tab port: the switchboard holds `lock` while it runs. A SharedWorker
   * dies with the renderer that hosts it (a crashed tab), so tabs watch it and start a new one.
   */
  | { readonly t: 'hello'; readonly lock: string }
  /** The session's port went to the leader holding `aliveLock`. */
  | { readonly t: 'routed'; readonly requestId: string; readonly aliveLock: string }
  | { readonly t: 'refused'; readonly requestId: string; readonly error: LsErrorWire };

// ── BroadcastChannel (no SharedWorker) ───────────────────────────────────────────────────────
export type BroadcastMessage =
  /** A session looking for the leader; `from` is the session's address. */
  | { readonly t: 'find'; readonly v: number; readonly from: string }
  /** The leader answering `find`: its address and alive lock. */
  | { readonly t: 'here'; readonly v: number; readonly to: string; readonly from: string; readonly aliveLock: string }
  /** A new leader announcing itself: sessions still looking send `find` again. */
  | { readonly t: 'leader-ready'; readonly v: number }
  /** One RPC message between two addresses. */
  | { readonly t: 'rpc'; readonly to: string; readonly from: string; readonly data: unknown };
