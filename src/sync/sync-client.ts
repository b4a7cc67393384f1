/**
 * The sync client: the I/O loop between a store's leader and the sync server. It decides nothing
 * about events itself: every server message becomes one input of the pure state machine
 * (core/sync-state.ts), which the host (the leader) merges and carries out; the loop only chooses
 * what to send next from the host's state.
 *
 * One connection at a time: open → `hello` (storeId, clientId, payload) → `welcome` (backendId,
 * head, limits) → `pull { cursor: upstreamHead }` → `events` pages until `live`; from then on the
 * oldest pending events are pushed, one push in flight, within the welcome's limits.
 * - `ok` → push-ack (or, when the server placed a resent batch elsewhere, a re-pull: its stream
 *   delivers the events where they are). `rejected` → push-rejected (its `missing` is merged, the
 *   host rebases) and the rebased batch goes out as soon as we hold the rejected `head`, inside
 *   the server's reservation. A gap in what arrives → re-pull from upstreamHead.
 * - Reconnect: any close or non-fatal failure closes the socket and reconnects after a capped
 *   exponential backoff with jitter (backoff.ts); the `online` event of the page skips the wait.
 *   A resend after reconnect is safe: the pull confirms what the server already holds, and the
 *   server deduplicates by event id what is pushed again.
 * - Stop (no more reconnects): auth refused, another protocol version, or a server whose log was
 *   reset (backendId changed, or our cursor is past its head). Local work goes on.
 */
import { LsError, toLsError } from '../core/errors.ts';
import type { LsErrorCode, LsErrorWire } from '../core/errors.ts';
import { SYNC_PROTOCOL_VERSION } from '../core/sync-protocol.ts';
import type { JsonValue, SyncServerLimits, SyncServerMessage } from '../core/sync-protocol.ts';
import type { MergeResult, SyncInput, SyncState } from '../core/sync-state.ts';
import type { LiveEvent } from '../core/live-event.ts';
import { createBackoff } from './backoff.ts';
import type { Backoff, BackoffOptions } from './backoff.ts';
import { planPush } from './push-batch.ts';
import { openSyncSocket } from './sync-socket.ts';
import type { SyncSocket, SyncWebSocketConstructor } from './sync-socket.ts';
import { SyncStatusCell } from './sync-status.ts';
import type { SyncStatus } from './sync-status.ts';

export type UpstreamInput = Exclude<SyncInput, { readonly _tag: 'local-push' }>;

/** What the client needs from the store it syncs (the leader). */
export interface SyncHost {
  /** Confirmed head and pending synced events, numbered against the server's log. */
  readonly syncState: SyncState;
  /** Merges what the server sent and carries the result out (materialize, rebase, persist). */
  receiveUpstream(input: UpstreamInput): MergeResult;
  /** The server storage this store last synced with, persisted (undefined before the first welcome). */
  readonly backendId: string | undefined;
  setBackendId(id: string): void;
}

export interface SyncTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncClientOptions {
  readonly url: string;
  readonly storeId: string;
  readonly clientId: string;
  /** Sent in hello, for the server's validatePayload (auth). */
  readonly payload?: JsonValue;
  readonly host: SyncHost;
  /** Default: globalThis.WebSocket. */
  readonly WebSocket?: SyncWebSocketConstructor;
  readonly backoff?: BackoffOptions;
  /** Give up on a connection that is not welcomed within this many ms (default 15 000; 0: never). */
  readonly connectTimeoutMs?: number;
  readonly timers?: SyncTimers;
  /** Background failures (refused auth, server errors); the status carries the last one too. */
  readonly onError?: (err: LsError) => void;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

interface Connection {
  readonly socket: SyncSocket;
  welcomed: boolean;
  limits: SyncServerLimits | undefined;
  maxBatch: number;
  pullId: string | undefined;
  live: boolean;
  inflight: { readonly id: string; readonly batch: readonly LiveEvent[] } | undefined;
  /** After a rejection: push again once upstreamHead reached this. */
  waitHead: number | undefined;
}

const defaultTimers: SyncTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export class SyncClient {
  readonly #o: SyncClientOptions;
  readonly #WebSocket: SyncWebSocketConstructor | undefined;
  readonly #timers: SyncTimers;
  readonly #backoff: Backoff;
  readonly #status: SyncStatusCell;
  #conn: Connection | undefined;
  #reconnectTimer: unknown;
  #connectTimer: unknown;
  #serial = 0;
  #started = false;
  #stopped = false;
  #closed = false;
  #lastError: LsError | undefined;
  #lastWire: { readonly err: LsError; readonly wire: LsErrorWire } | undefined;
  #byteScale = 1;
  readonly #onOnline = (): void => this.reconnectNow();

  constructor(options: SyncClientOptions) {
    this.#o = options;
    this.#WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: SyncWebSocketConstructor }).WebSocket;
    this.#timers = options.timers ?? defaultTimers;
    this.#backoff = createBackoff(options.backoff);
    this.#status = new SyncStatusCell(this.#computeStatus(), (err) => this.#o.log?.('error', 'a sync status listener threw', err));
  }

  get status(): SyncStatus {
    return this.#status.value;
  }

  subscribeStatus(listener: (s: SyncStatus) => void): () => void {
    return this.#status.subscribe(listener);
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    (globalThis as { addEventListener?: (t: string, l: () => void) => void }).addEventListener?.('online', this.#onOnline);
    this.#connect();
  }

  /** The host appended local events: push them if the connection allows. */
  notify(): void {
    this.#maybePush();
    this.#updateStatus();
  }

  /** Skips a scheduled reconnect's wait (the network came back). */
  reconnectNow(): void {
    if (this.#reconnectTimer === undefined || this.#stopped || this.#closed) return;
    this.#timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#connect();
  }

  /** Stops for good: no more frames in or out. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    (globalThis as { removeEventListener?: (t: string, l: () => void) => void }).removeEventListener?.('online', this.#onOnline);
    this.#clearTimers();
    this.#conn?.socket.close(1000, 'store closed');
    this.#conn = undefined;
    this.#updateStatus();
  }

  #connect(): void {
    if (this.#closed || this.#stopped) return;
    const Ctor = this.#WebSocket;
    if (Ctor === undefined) {
      this.#stop(new LsError('LS_INVALID_ARGUMENT', 'No WebSocket in this context: pass sync.WebSocket (e.g. the ws package in node).'));
      return;
    }
    let socket: SyncSocket;
    try {
      socket = openSyncSocket(this.#o.url, Ctor, {
        onOpen: () => this.#sendHello(),
        onMessage: (m) => this.#onMessage(m),
        onBadFrame: (err) => (err.code === 'LS_PROTOCOL_VERSION' ? this.#stop(err) : this.#restart(err)),
        onClose: (code, reason) => this.#onClose(code, reason),
      });
    } catch (err) {
      this.#stop(toLsError(err, 'LS_INVALID_ARGUMENT', `cannot open a WebSocket to ${this.#o.url}; check sync.backend`));
      return;
    }
    this.#conn = { socket, welcomed: false, limits: undefined, maxBatch: 1, pullId: undefined, live: false, inflight: undefined, waitHead: undefined };
    const timeout = this.#o.connectTimeoutMs ?? 15_000;
    if (timeout > 0) {
      this.#connectTimer = this.#timers.setTimeout(() => {
        this.#connectTimer = undefined;
        if (this.#conn?.socket === socket && !this.#conn.welcomed) this.#restart(new LsError('LS_TIMEOUT', `The sync server at ${this.#o.url} did not answer within ${timeout} ms; retrying.`));
      }, timeout);
    }
    this.#updateStatus();
  }

  #sendHello(): void {
    const { storeId, clientId, payload } = this.#o;
    this.#conn?.socket.send({ v: SYNC_PROTOCOL_VERSION, type: 'hello', id: this.#id('h'), storeId, clientId, ...(payload === undefined ? {} : { payload }) });
  }

  #pull(conn: Connection): void {
    conn.pullId = this.#id('p');
    conn.live = false;
    conn.socket.send({ v: SYNC_PROTOCOL_VERSION, type: 'pull', id: conn.pullId, storeId: this.#o.storeId, cursor: this.#o.host.syncState.upstreamHead });
  }

  #onMessage(m: SyncServerMessage): void {
    const conn = this.#conn;
    if (conn === undefined) return;
    switch (m.type) {
      case 'welcome': this.#onWelcome(conn, m.backendId, m.limits); break;
      case 'events':
        if (m.id !== conn.pullId) break; // a page of a pull we replaced
        if (!this.#feed(conn, { _tag: 'upstream-advance', events: m.events })) break;
        if (m.live) conn.live = true;
        this.#maybePush();
        break;
      case 'ok': {
        const inflight = conn.inflight;
        if (inflight === undefined || m.id !== inflight.id) break;
        conn.inflight = undefined;
        const inPlace = m.seqNums.length === inflight.batch.length && m.seqNums.every((s, i) => s === inflight.batch[i]?.seqNum);
        // Placed elsewhere (a batch resent after a lost ok): the re-pulled stream has them where they are.
        if (!inPlace) this.#pull(conn);
        else if (this.#feed(conn, { _tag: 'push-ack', events: inflight.batch })) this.#backoff.reset();
        this.#maybePush();
        break;
      }
      case 'rejected': {
        if (conn.inflight === undefined || m.id !== conn.inflight.id) break;
        conn.inflight = undefined;
        if (!this.#feed(conn, { _tag: 'push-rejected', head: m.head, missing: m.missing })) break;
        conn.waitHead = m.head;
        this.#maybePush();
        break;
      }
      case 'error': this.#onServerError(conn, m.code, m.message, m.fatal, m.id, m.details); break;
    }
    this.#updateStatus();
  }

  #onWelcome(conn: Connection, backendId: string, limits: SyncServerLimits): void {
    if (this.#connectTimer !== undefined) this.#timers.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    const host = this.#o.host;
    const known = host.backendId;
    if (known !== undefined && known !== backendId && host.syncState.upstreamHead > 0) {
      this.#stop(new LsError('LS_CURSOR_AHEAD',
        `The sync server's storage was reset (backend ${known} is now ${backendId}): this store holds events the server lost. Export what you need, then reset the local data (store._dev.hardReset()).`));
      return;
    }
    if (known !== backendId) host.setBackendId(backendId);
    conn.welcomed = true;
    conn.limits = limits;
    conn.maxBatch = Math.max(1, limits.maxBatch);
    this.#o.log?.('info', 'sync connected', { url: this.#o.url, backendId });
    this.#pull(conn);
  }

  /** Feeds the host; false when the input was refused and the connection re-pulls or restarts. */
  #feed(conn: Connection, input: UpstreamInput): boolean {
    let r: MergeResult;
    try {
      r = this.#o.host.receiveUpstream(input);
    } catch (err) {
      this.#restart(toLsError(err, 'LS_INTERNAL', 'applying events from the sync server failed; retrying'));
      return false;
    }
    if (r._tag !== 'reject') return true;
    if (r.reason === 'gap' || r.reason === 'ack-mismatch') {
      this.#o.log?.('warn', `sync: ${r.message}; pulling again`);
      this.#pull(conn);
    } else {
      this.#restart(new LsError('LS_PROTOCOL_ERROR', `The sync server sent events the store cannot take (${r.reason}): ${r.message}`));
    }
    return false;
  }

  #maybePush(): void {
    const conn = this.#conn;
    if (conn === undefined || !conn.welcomed || !conn.live || conn.inflight !== undefined || conn.limits === undefined) return;
    const state = this.#o.host.syncState;
    if (conn.waitHead !== undefined && state.upstreamHead < conn.waitHead) return;
    conn.waitHead = undefined;
    const maxMessageBytes = Math.max(1024, Math.floor(conn.limits.maxMessageBytes * this.#byteScale));
    const plan = planPush(state, { maxBatch: conn.maxBatch, maxMessageBytes }, { id: this.#id('u'), storeId: this.#o.storeId });
    if (plan._tag === 'none') return;
    if (plan._tag === 'too-large') {
      this.#stop(new LsError('LS_MESSAGE_TOO_LARGE',
        `Event ${plan.event.id} (${plan.event.name}) is ${plan.bytes} bytes as a push, more than the server's limit of ${maxMessageBytes}: it cannot be synced. Keep event args small (store blobs elsewhere).`));
      return;
    }
    conn.inflight = { id: plan.message.id, batch: plan.message.batch };
    conn.socket.send(plan.message);
  }

  #onServerError(conn: Connection, code: LsErrorCode, message: string, fatal: boolean, id: string | undefined, details: unknown): void {
    const err = new LsError(code, `Sync server: ${message}`, details === undefined ? {} : { details: details as Record<string, unknown> });
    if (code === 'LS_UNAUTHORIZED' || code === 'LS_PROTOCOL_VERSION') return this.#stop(err);
    if (fatal) {
      if (code === 'LS_MESSAGE_TOO_LARGE') this.#byteScale /= 2;
      return this.#restart(err);
    }
    if (id !== undefined && id === conn.inflight?.id) {
      const { batch } = conn.inflight;
      conn.inflight = undefined;
      if (code === 'LS_BATCH_TOO_LARGE' && batch.length > 1) {
        conn.maxBatch = Math.max(1, Math.floor(batch.length / 2));
        return this.#maybePush();
      }
      return this.#restart(err);
    }
    if (id !== undefined && id === conn.pullId) {
      if (code === 'LS_CURSOR_AHEAD') return this.#stop(err);
      return this.#restart(err);
    }
    this.#report(err);
  }

  #onClose(code: number, reason: string): void {
    this.#conn = undefined;
    if (this.#closed || this.#stopped) return;
    this.#o.log?.('info', 'sync connection closed', { code, reason });
    this.#scheduleReconnect();
    this.#updateStatus();
  }

  /** Drops the connection (reporting why) and reconnects after the backoff. */
  #restart(err: LsError): void {
    this.#report(err);
    this.#conn?.socket.close(1000, 'restarting');
    this.#conn = undefined;
    this.#scheduleReconnect();
    this.#updateStatus();
  }

  #stop(err: LsError): void {
    this.#report(err);
    this.#stopped = true;
    this.#clearTimers();
    this.#conn?.socket.close(1000, 'sync stopped');
    this.#conn = undefined;
    this.#updateStatus();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#stopped || this.#reconnectTimer !== undefined) return;
    if (this.#connectTimer !== undefined) this.#timers.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    const delay = this.#backoff.next();
    this.#reconnectTimer = this.#timers.setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect();
    }, delay);
  }

  #clearTimers(): void {
    if (this.#reconnectTimer !== undefined) this.#timers.clearTimeout(this.#reconnectTimer);
    if (this.#connectTimer !== undefined) this.#timers.clearTimeout(this.#connectTimer);
    this.#reconnectTimer = undefined;
    this.#connectTimer = undefined;
  }

  #report(err: LsError): void {
    this.#lastError = err;
    this.#o.log?.('warn', err.message, { code: err.code });
    try {
      this.#o.onError?.(err);
    } catch (e) {
      this.#o.log?.('error', 'sync onError threw', e);
    }
  }

  #id(prefix: string): string {
    return `${prefix}${++this.#serial}`;
  }

  #updateStatus(): void {
    if (this.#stopped === false && this.#conn?.welcomed === true && this.#isSynced(this.#conn)) this.#backoff.reset();
    this.#status.set(this.#computeStatus());
  }

  #isSynced(conn: Connection): boolean {
    return conn.live && conn.inflight === undefined && this.#o.host.syncState.pending.length === 0;
  }

  #computeStatus(): SyncStatus {
    const state = this.#o.host.syncState;
    const conn = this.#conn;
    const phase = this.#stopped ? 'stopped'
      : conn === undefined ? 'offline'
      : !conn.welcomed ? 'connecting'
      : this.#isSynced(conn) ? 'synced' : 'syncing';
    const status: SyncStatus = { phase, online: conn?.welcomed === true, pending: state.pending.length, upstreamHead: state.upstreamHead, attempt: this.#backoff.attempt };
    const err = this.#lastError;
    if (err === undefined) return status;
    // The same wire object while the error is the same, so the status cell sees no change.
    if (this.#lastWire?.err !== err) this.#lastWire = { err, wire: err.toWire() };
    return { ...status, lastError: this.#lastWire.wire };
  }
}
