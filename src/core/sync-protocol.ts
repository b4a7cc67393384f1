/**
 * Wire protocol between a client (the leader's sync loop) and the sync server: JSON text frames
 * over one WebSocket, types only. Every message has `v` (= SYNC_PROTOCOL_VERSION) and `type`; a
 * request carries a client-chosen `id` (1–64 chars) that its replies echo.
 *
 * Transport: one WebSocket to the server's URL (`ws://host:port`, any path: the store is named by
 * `hello`, not by the URL, so one URL serves every store and auth never travels in a query string).
 *
 * Session: `hello` first (storeId, clientId, auth `payload`) → `welcome { backendId, head, limits }`.
 * A connection serves the one store of its hello; `pull` and `push` name it again as a guard.
 * Requests on one connection are processed and answered in the order they were sent.
 *
 * Downstream (server → client): `pull { cursor }` ("I hold every event up to cursor") subscribes.
 * The server answers with `events` pages (at most `limits.pageSize` events, `live: false`) until it
 * has sent everything up to its head; that page, or an empty one, has `live: true`; from then on it
 * sends every new event of other clients as `events { live: true }`. A later pull replaces the
 * subscription. No-gap rule: on one connection, the events of `events` pages, `rejected.missing`
 * and the seqNums of `ok` together continue each other without a gap; the server never sends an
 * event twice on a connection and never sends the pusher its own accepted events (`ok` says where
 * they landed). A client that already holds an event (same seqNum) ignores it.
 *
 * Upstream: `push { batch }`: events numbered on top of what the client knows (`batch[0]
 * .parentSeqNum`), contiguous (seqNum = parentSeqNum + 1, each parent the previous seqNum).
 * - `ok { head, seqNums }`: stored; seqNums[i] is where batch[i] is. Dedupe by event id: events the
 *   server already holds are acknowledged at their stored seqNums, never stored twice (a resent
 *   batch after a lost `ok`), and the rest of the batch is processed as a push of its own.
 * - `rejected { head, missing, reservedMs }`: the base was not the head. `missing` holds the events
 *   after the batch's parent up to `head` that this connection has not been sent yet (at most
 *   `limits.pageSize`; if it ends before `head`, the rest follows on the pull stream, or pull).
 *   Rebase the batch on `head` and push again at once: the store is reserved for this connection
 *   for `reservedMs` (progress guarantee: server/push-turns.ts), so that push is accepted.
 *   A push may wait for its answer while another connection holds the store.
 * - `error { code, message, fatal }`: fatal errors close the connection (close code in
 *   SYNC_CLOSE_CODES, reason = code); others leave it open and change nothing.
 *   Codes: LS_PROTOCOL_ERROR (malformed JSON, bad shape, unknown type: fatal; push/pull before
 *   hello, second hello, other store: not fatal), LS_PROTOCOL_VERSION (fatal),
 *   LS_MESSAGE_TOO_LARGE (fatal), LS_UNAUTHORIZED (fatal), LS_BATCH_TOO_LARGE, LS_INVALID_BATCH
 *   (empty, gap, duplicate seqNum or id), LS_CURSOR_AHEAD (pull past the server's head: the server
 *   was reset; compare backendId), LS_STORAGE_ERROR, LS_INTERNAL (not fatal; retry later).
 */
import type { LsErrorCode } from './errors.ts';
import type { LiveEvent } from './live-event.ts';

export const SYNC_PROTOCOL_VERSION = 1;

export type SyncProtocolVersion = typeof SYNC_PROTOCOL_VERSION;

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** WebSocket close codes the server uses after a fatal error; the close reason is the LsErrorCode. */
export const SYNC_CLOSE_CODES = {
  /** The server shuts down; reconnect later. */
  goingAway: 1001,
  /** Malformed JSON, unknown type, bad shape or protocol version. */
  protocolError: 1002,
  /** Auth rejected (LS_UNAUTHORIZED). */
  policyViolation: 1008,
  /** A frame larger than `limits.maxMessageBytes`. */
  tooLarge: 1009,
} as const;

// ── client → server ──────────────────────────────────────────────────────────────────────────

export interface SyncHelloMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'hello';
  readonly id: string;
  readonly storeId: string;
  /** One per browser profile (LiveEvent.clientId); for logs and the auth hook. */
  readonly clientId: string;
  /** Handed to the server's `validatePayload(payload, { storeId })` (e.g. an auth token). */
  readonly payload?: JsonValue;
}

export interface SyncPullMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'pull';
  readonly id: string;
  readonly storeId: string;
  /** The client holds every event up to this seqNum (0: none). */
  readonly cursor: number;
}

export interface SyncPushMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'push';
  readonly id: string;
  readonly storeId: string;
  /** 1 … limits.maxBatch contiguous events. */
  readonly batch: readonly LiveEvent[];
}

export type SyncClientMessage = SyncHelloMessage | SyncPullMessage | SyncPushMessage;

// ── server → client ──────────────────────────────────────────────────────────────────────────

export interface SyncServerLimits {
  readonly maxMessageBytes: number;
  readonly maxBatch: number;
  readonly pageSize: number;
  /** How long a rejected pusher holds the store for its rebased push. */
  readonly reservationMs: number;
}

export interface SyncWelcomeMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'welcome';
  /** The hello's id. */
  readonly id: string;
  /** Changes when the server's storage was reset: a client holding another one must not sync on. */
  readonly backendId: string;
  readonly head: number;
  readonly limits: SyncServerLimits;
}

export interface SyncEventsMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'events';
  /** The id of the pull this page belongs to. */
  readonly id: string;
  /** Ascending, continuing what this connection was sent before (or the pull's cursor). */
  readonly events: readonly LiveEvent[];
  /** The server's head when it sent this page (≥ cursor). */
  readonly head: number;
  /** The seqNum the client holds once it applied this page. */
  readonly cursor: number;
  /** false: more catch-up pages follow. true: caught up; further pages are new events. */
  readonly live: boolean;
}

export interface SyncOkMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'ok';
  /** The push's id. */
  readonly id: string;
  /** The store's head after this push (can be past the batch when it was deduplicated). */
  readonly head: number;
  /** Where each event of the batch is stored, in batch order. */
  readonly seqNums: readonly number[];
}

export interface SyncRejectedMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'rejected';
  /** The push's id. */
  readonly id: string;
  readonly head: number;
  /** Events after the batch's parent up to head that this connection was not sent before. */
  readonly missing: readonly LiveEvent[];
  /** A push based on `head` within this many ms is accepted (unless the connection breaks). */
  readonly reservedMs: number;
}

export interface SyncErrorMessage {
  readonly v: SyncProtocolVersion;
  readonly type: 'error';
  /** The failed request's id, when the server could read one. */
  readonly id?: string;
  readonly code: LsErrorCode;
  /** Says what to do. */
  readonly message: string;
  /** true: the server closes the connection after this message. */
  readonly fatal: boolean;
  readonly details?: { readonly [key: string]: JsonValue };
}

export type SyncServerMessage =
  | SyncWelcomeMessage
  | SyncEventsMessage
  | SyncOkMessage
  | SyncRejectedMessage
  | SyncErrorMessage;
