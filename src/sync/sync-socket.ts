/**
 * One WebSocket to the sync server, as typed protocol messages: JSON text frames out, parsed and
 * shape-checked server messages in. No protocol logic: the sync client decides what to send.
 *
 * The WebSocket constructor is injectable (`ws` in node tests, a fake in unit tests); anything
 * with the browser's `onopen`/`onmessage`/`onclose`/`onerror` properties works. After `close()`
 * no handler is called any more, so a closed client never sees a late frame.
 */
import { LsError } from '../core/errors.ts';
import { SYNC_PROTOCOL_VERSION } from '../core/sync-protocol.ts';
import type { SyncClientMessage, SyncServerMessage } from '../core/sync-protocol.ts';

/** The part of the browser WebSocket the sync client uses. */
export interface SyncWebSocket {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { readonly data: unknown }) => void) | null;
  onclose: ((ev: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SyncWebSocketConstructor = new (url: string) => SyncWebSocket;

export interface SyncSocketHandlers {
  onOpen(): void;
  onMessage(message: SyncServerMessage): void;
  /** A frame that is not a server message of this protocol version. */
  onBadFrame(error: LsError): void;
  onClose(code: number, reason: string): void;
}

export interface SyncSocket {
  send(message: SyncClientMessage): void;
  /** Closes and detaches the handlers; onClose is not called for this close. */
  close(code?: number, reason?: string): void;
}

const OPEN = 1;
const SERVER_TYPES = new Set(['welcome', 'events', 'ok', 'rejected', 'error']);

export function openSyncSocket(url: string, WebSocketCtor: SyncWebSocketConstructor, handlers: SyncSocketHandlers): SyncSocket {
  const ws = new WebSocketCtor(url);
  let detached = false;
  ws.onopen = () => {
    if (!detached) handlers.onOpen();
  };
  ws.onmessage = (ev) => {
    if (detached) return;
    const parsed = parseServerMessage(ev.data);
    if (parsed instanceof LsError) handlers.onBadFrame(parsed);
    else handlers.onMessage(parsed);
  };
  // Browsers fire `error` then `close`; the close carries everything we act on.
  ws.onerror = () => {};
  ws.onclose = (ev) => {
    if (detached) return;
    detached = true;
    handlers.onClose(ev.code, ev.reason);
  };
  return {
    send(message) {
      if (detached || ws.readyState !== OPEN) return;
      ws.send(JSON.stringify(message));
    },
    close(code = 1000, reason = 'client closed') {
      if (detached) return;
      detached = true;
      try {
        ws.close(code, reason);
      } catch {
        // closing a socket that never opened can throw in some implementations; it is gone either way
      }
    },
  };
}

/** A frame as a server message, or why it is not one. */
export function parseServerMessage(data: unknown): SyncServerMessage | LsError {
  if (typeof data !== 'string') return new LsError('LS_PROTOCOL_ERROR', 'The sync server sent a binary frame; it must speak the JSON text protocol.');
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return new LsError('LS_PROTOCOL_ERROR', 'The sync server sent a frame that is not JSON; check that the sync URL points at an ls-elements sync server.');
  }
  if (typeof value !== 'object' || value === null) return new LsError('LS_PROTOCOL_ERROR', 'The sync server sent a JSON value that is not a message object.');
  const m = value as { v?: unknown; type?: unknown };
  if (m.v !== SYNC_PROTOCOL_VERSION) {
    return new LsError('LS_PROTOCOL_VERSION', `The sync server speaks protocol version ${String(m.v)}, this client ${SYNC_PROTOCOL_VERSION}: update the client or the server so both match.`);
  }
  if (typeof m.type !== 'string' || !SERVER_TYPES.has(m.type)) {
    return new LsError('LS_PROTOCOL_ERROR', `The sync server sent an unknown message type ${JSON.stringify(m.type)}.`);
  }
  if (!hasShape(value as SyncServerMessage)) return new LsError('LS_PROTOCOL_ERROR', `The sync server sent a malformed ${m.type} message.`);
  return value as SyncServerMessage;
}

function hasShape(m: SyncServerMessage): boolean {
  const int = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  switch (m.type) {
    case 'welcome': return typeof m.backendId === 'string' && int(m.head) && typeof m.limits === 'object' && m.limits !== null;
    case 'events': return Array.isArray(m.events) && int(m.head) && int(m.cursor) && typeof m.live === 'boolean';
    case 'ok': return int(m.head) && Array.isArray(m.seqNums) && m.seqNums.every(int);
    case 'rejected': return int(m.head) && Array.isArray(m.missing);
    case 'error': return typeof m.code === 'string' && typeof m.message === 'string' && typeof m.fatal === 'boolean';
  }
}
