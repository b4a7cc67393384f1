/**
 * Strict parsing of client frames into `SyncClientMessage`s. Nothing a client sends reaches the
 * server's logic before it passed here: JSON, an object, `v`, a known `type`, exactly the allowed
 * keys, every field's type and length, event shapes, args nesting depth, and the batch chain.
 *
 * A fault is fatal (the peer does not speak this protocol: close) or not (a request the client can
 * fix: answer with an error and keep the connection): see the table in src/core/sync-protocol.ts.
 */
import type { LsErrorCode } from '../src/core/errors.ts';
import type { LiveEvent } from '../src/core/live-event.ts';
import { SYNC_PROTOCOL_VERSION } from '../src/core/sync-protocol.ts';
import type { JsonValue, SyncClientMessage } from '../src/core/sync-protocol.ts';
import { MAX_ARGS_DEPTH, MAX_LENGTH } from './sync-limits.ts';
import type { SyncLimits } from './sync-limits.ts';

export interface SyncFault {
  readonly code: LsErrorCode;
  readonly message: string;
  readonly fatal: boolean;
  /** The request id, when the frame had a readable one. */
  readonly id?: string;
  readonly details?: { readonly [key: string]: JsonValue };
}

export type ParsedClientMessage = { readonly ok: true; readonly message: SyncClientMessage } | { readonly ok: false; readonly fault: SyncFault };

type Obj = Record<string, unknown>;

const KEYS = {
  hello: ['v', 'type', 'id', 'storeId', 'clientId', 'payload'],
  pull: ['v', 'type', 'id', 'storeId', 'cursor'],
  push: ['v', 'type', 'id', 'storeId', 'batch'],
} as const;
const EVENT_KEYS = new Set(['id', 'name', 'args', 'seqNum', 'parentSeqNum', 'clientId', 'sessionId', 'createdAt']);

/** Thrown inside this module only, turned into a fault by parseClientMessage. */
class Fault {
  constructor(readonly code: LsErrorCode, readonly message: string, readonly fatal: boolean, readonly path?: string) {}
}

export function parseClientMessage(text: string, limits: SyncLimits): ParsedClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fault(new Fault('LS_PROTOCOL_ERROR', 'The frame is not JSON. Send one JSON object per text frame.', true));
  }
  if (!isObj(raw)) return fault(new Fault('LS_PROTOCOL_ERROR', 'The frame is not a JSON object. Send { v, type, id, … }.', true));
  const id = typeof raw['id'] === 'string' && raw['id'].length >= 1 && raw['id'].length <= MAX_LENGTH.requestId ? raw['id'] : undefined;
  try {
    return { ok: true, message: parseObject(raw, limits) };
  } catch (err) {
    if (!(err instanceof Fault)) throw err;
    return fault(err, id);
  }
}

function fault(f: Fault, id?: string): ParsedClientMessage {
  return {
    ok: false,
    fault: {
      code: f.code,
      message: f.message,
      fatal: f.fatal,
      ...(id === undefined ? {} : { id }),
      ...(f.path === undefined ? {} : { details: { path: f.path } }),
    },
  };
}

function parseObject(raw: Obj, limits: SyncLimits): SyncClientMessage {
  if (raw['v'] !== SYNC_PROTOCOL_VERSION) {
    throw new Fault('LS_PROTOCOL_VERSION',
      `This server speaks sync protocol v${SYNC_PROTOCOL_VERSION}, the message has v=${JSON.stringify(raw['v']) ?? 'undefined'}. Use a client and server of the same version.`, true, 'v');
  }
  const type = raw['type'];
  if (type !== 'hello' && type !== 'pull' && type !== 'push') {
    throw new Fault('LS_PROTOCOL_ERROR', `Unknown message type ${JSON.stringify(type) ?? 'undefined'}: expected hello, pull or push.`, true, 'type');
  }
  const allowed: readonly string[] = KEYS[type];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) throw new Fault('LS_PROTOCOL_ERROR', `A ${type} message has no field "${key}".`, true, key);
  }
  const id = str(raw, 'id', MAX_LENGTH.requestId);
  const storeId = str(raw, 'storeId', MAX_LENGTH.storeId);
  const v = SYNC_PROTOCOL_VERSION;
  switch (type) {
    case 'hello': {
      const clientId = str(raw, 'clientId', MAX_LENGTH.clientId);
      return 'payload' in raw
        ? { v, type, id, storeId, clientId, payload: raw['payload'] as JsonValue }
        : { v, type, id, storeId, clientId };
    }
    case 'pull':
      return { v, type, id, storeId, cursor: int(raw, 'cursor', 0) };
    case 'push':
      return { v, type, id, storeId, batch: parseBatch(raw['batch'], limits) };
  }
}

function parseBatch(value: unknown, limits: SyncLimits): LiveEvent[] {
  if (!Array.isArray(value)) throw new Fault('LS_PROTOCOL_ERROR', 'push.batch must be an array of events.', true, 'batch');
  if (value.length === 0) throw new Fault('LS_INVALID_BATCH', 'push.batch is empty: push at least one event.', false, 'batch');
  if (value.length > limits.maxBatch) {
    throw new Fault('LS_BATCH_TOO_LARGE', `push.batch has ${value.length} events, the limit is ${limits.maxBatch}: split it into several pushes.`, false, 'batch');
  }
  const batch = value.map((e: unknown, i) => parseEvent(e, `batch[${i}]`));
  checkChain(batch);
  return batch;
}

function parseEvent(raw: unknown, path: string): LiveEvent {
  if (!isObj(raw)) throw new Fault('LS_PROTOCOL_ERROR', `${path} must be an event object.`, true, path);
  for (const key of Object.keys(raw)) {
    if (!EVENT_KEYS.has(key)) throw new Fault('LS_PROTOCOL_ERROR', `${path} has an unknown field "${key}".`, true, `${path}.${key}`);
  }
  const args = raw['args'];
  if (!depthWithin(args, MAX_ARGS_DEPTH)) {
    throw new Fault('LS_PROTOCOL_ERROR', `${path}.args nests deeper than ${MAX_ARGS_DEPTH} levels.`, true, `${path}.args`);
  }
  return {
    id: str(raw, 'id', MAX_LENGTH.eventId, path),
    name: str(raw, 'name', MAX_LENGTH.eventName, path),
    args,
    seqNum: int(raw, 'seqNum', 1, path),
    parentSeqNum: int(raw, 'parentSeqNum', 0, path),
    clientId: str(raw, 'clientId', MAX_LENGTH.clientId, path),
    sessionId: str(raw, 'sessionId', MAX_LENGTH.sessionId, path),
    createdAt: int(raw, 'createdAt', Number.MIN_SAFE_INTEGER, path),
  };
}

/** Each event continues the one before; ids are unique within the batch. */
function checkChain(batch: readonly LiveEvent[]): void {
  const ids = new Set<string>();
  batch.forEach((e, i) => {
    const path = `batch[${i}]`;
    if (e.seqNum !== e.parentSeqNum + 1) {
      throw new Fault('LS_INVALID_BATCH', `${path} has seqNum ${e.seqNum} but parentSeqNum ${e.parentSeqNum}: seqNum must be parentSeqNum + 1.`, false, path);
    }
    const before = batch[i - 1];
    if (before !== undefined && e.parentSeqNum !== before.seqNum) {
      const what = e.seqNum === before.seqNum ? 'repeats seqNum' : 'leaves a gap after seqNum';
      throw new Fault('LS_INVALID_BATCH', `${path} ${what} ${before.seqNum}: number a batch contiguously.`, false, path);
    }
    if (ids.has(e.id)) throw new Fault('LS_INVALID_BATCH', `${path} repeats event id ${JSON.stringify(e.id)}.`, false, path);
    ids.add(e.id);
  });
}

function str(o: Obj, key: string, max: number, at?: string): string {
  const value = o[key];
  const path = at === undefined ? key : `${at}.${key}`;
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    throw new Fault('LS_PROTOCOL_ERROR', `${path} must be a string of 1 to ${max} characters.`, true, path);
  }
  return value;
}

function int(o: Obj, key: string, min: number, at?: string): number {
  const value = o[key];
  const path = at === undefined ? key : `${at}.${key}`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new Fault('LS_PROTOCOL_ERROR', `${path} must be an integer ≥ ${min}.`, true, path);
  }
  return value;
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Iterative, so a hostile 500 000-deep array cannot overflow the stack here. */
function depthWithin(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return false;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return true;
}
