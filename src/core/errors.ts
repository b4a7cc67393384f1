/**
 * Typed errors. Every error ls-elements throws is an `LsError` with a stable string `code`
 * (`LS_*`), a message that says what to do, an optional `cause`, and a wire form, because
 * postMessage and WebSocket drop everything but plain data.
 *
 * Catch by code (`err.code === 'LS_INVALID_EVENT_ARGS'`) or with `isLsError(err, code)`.
 */

export type LsErrorCode =
  | 'LS_INVALID_SCHEMA'
  | 'LS_UNKNOWN_EVENT'
  | 'LS_INVALID_EVENT_ARGS'
  | 'LS_EVENT_TOO_LARGE'
  | 'LS_MATERIALIZER_FAILED'
  | 'LS_SQLITE_ERROR'
  | 'LS_INVALID_QUERY'
  | 'LS_REACTIVE_CYCLE'
  | 'LS_STORE_SHUTDOWN'
  | 'LS_INVALID_ARGUMENT'
  | 'LS_DECODE_FAILED'
  | 'LS_PROTOCOL_ERROR'
  | 'LS_PROTOCOL_VERSION'
  | 'LS_MESSAGE_TOO_LARGE'
  | 'LS_BATCH_TOO_LARGE'
  | 'LS_PUSH_REJECTED'
  | 'LS_INVALID_BATCH'
  | 'LS_CURSOR_AHEAD'
  | 'LS_UNAUTHORIZED'
  | 'LS_STORAGE_ERROR'
  | 'LS_STORAGE_FULL'
  | 'LS_LEADER_UNAVAILABLE'
  | 'LS_TIMEOUT'
  | 'LS_CONFLICT_HOOK_FAILED'
  | 'LS_INTERNAL';

export interface LsErrorWire {
  readonly __lsError: 1;
  readonly code: LsErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: LsErrorWire | { readonly name: string; readonly message: string };
}

export class LsError extends Error {
  override readonly name: string = 'LsError';
  readonly code: LsErrorCode;
  /** Plain, serialisable facts about the failure (event name, SQL, sqlite code, …). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: LsErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  toWire(): LsErrorWire {
    const cause = this.cause;
    const wire: { -readonly [K in keyof LsErrorWire]: LsErrorWire[K] } = {
      __lsError: 1,
      code: this.code,
      message: this.message,
    };
    if (Object.keys(this.details).length > 0) wire.details = this.details;
    if (cause instanceof LsError) wire.cause = cause.toWire();
    else if (cause instanceof Error) wire.cause = { name: cause.name, message: cause.message };
    return wire;
  }

  static fromWire(wire: LsErrorWire): LsError {
    const cause = wire.cause === undefined
      ? undefined
      : '__lsError' in wire.cause
        ? LsError.fromWire(wire.cause)
        : Object.assign(new Error(wire.cause.message), { name: wire.cause.name });
    const options: { cause?: unknown; details?: Record<string, unknown> } = {};
    if (cause !== undefined) options.cause = cause;
    if (wire.details !== undefined) options.details = { ...wire.details };
    return new LsError(wire.code, wire.message, options);
  }
}

export function isLsError(err: unknown, code?: LsErrorCode): err is LsError {
  return err instanceof LsError && (code === undefined || err.code === code);
}

export function isLsErrorWire(value: unknown): value is LsErrorWire {
  return typeof value === 'object' && value !== null && (value as { __lsError?: unknown }).__lsError === 1;
}

/** Wraps anything thrown into an LsError, keeping an LsError as it is. */
export function toLsError(err: unknown, code: LsErrorCode, message: string, details?: Record<string, unknown>): LsError {
  if (err instanceof LsError) return err;
  const options: { cause?: unknown; details?: Record<string, unknown> } = { cause: err };
  if (details !== undefined) options.details = details;
  const why = err instanceof Error ? err.message : String(err);
  return new LsError(code, `${message}: ${why}`, options);
}
