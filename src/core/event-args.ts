/**
 * Event args through their lifetime:
 *
 *   app value ──encodeEventArgs──▶ stored args (JSON-safe, in the eventlog and on the wire)
 *   stored args ──decodeEventArgs──▶ what the materializer receives
 *
 * With our Schema: encode validates and encodes (Date → ISO string), decode validates and
 * decodes. With a foreign Standard Schema (which cannot encode): the args as written are
 * stored, after validation and a JSON-safety check, and every decode runs `validate` on them,
 * so the first run and every replay see the same output (transforms included).
 *
 * SessionIdSymbol among the top-level args is replaced by the session id before validation.
 * Stored args are at most MAX_EVENT_ARGS_BYTES of JSON (LS_EVENT_TOO_LARGE): an event must fit in
 * one sync message (the server's default cap is 1 MiB), or it would block its client's push queue
 * for ever. Large payloads belong in files or blobs the event refers to.
 */
import { LsError } from './errors.ts';
import type { AnyEventDef } from './events.ts';
import { isCodec, isPlainObject, walkOf } from './schema/codec.ts';
import { formatIssues, issuesAsDetails, type Issue } from './schema/issues.ts';
import { findNonJson } from './schema/json-value.ts';
import { validateSync } from './schema/validate-sync.ts';
import { SessionIdSymbol } from './session-id-symbol.ts';

function withSessionId(def: AnyEventDef, args: unknown, sessionId: string | undefined): unknown {
  if (!isPlainObject(args) || !Object.values(args).includes(SessionIdSymbol)) return args;
  if (sessionId === undefined) {
    throw new LsError('LS_INVALID_EVENT_ARGS', `Event '${def.name}' uses SessionIdSymbol, but no session id is known here; commit it through a store.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) out[key] = value === SessionIdSymbol ? sessionId : value;
  return out;
}

function invalid(def: AnyEventDef, issues: readonly Issue[]): LsError {
  return new LsError('LS_INVALID_EVENT_ARGS', `Invalid args for event '${def.name}': ${formatIssues(issues)}. Pass args that match its schema.`, {
    details: { event: def.name, issues: issuesAsDetails(issues) },
  });
}

/** Validates app args and returns the JSON-safe form to store; throws LS_INVALID_EVENT_ARGS. */
export const MAX_EVENT_ARGS_BYTES = 256 * 1024;

export function encodeEventArgs(def: AnyEventDef, args: unknown, options: { readonly sessionId?: string } = {}): unknown {
  return checkSize(def, encodeChecked(def, args, options));
}

function checkSize(def: AnyEventDef, stored: unknown): unknown {
  const json = JSON.stringify(stored ?? null);
  // A UTF-8 byte count only when the string could be over the limit (at most 3 bytes per char).
  if (json.length * 3 > MAX_EVENT_ARGS_BYTES) {
    const bytes = new TextEncoder().encode(json).byteLength;
    if (bytes > MAX_EVENT_ARGS_BYTES) {
      throw new LsError('LS_EVENT_TOO_LARGE', `The args of event '${def.name}' are ${bytes} bytes of JSON; at most ${MAX_EVENT_ARGS_BYTES} fit in one event. Store large data elsewhere (a file, a blob) and put its reference in the event.`, {
        details: { event: def.name, bytes, max: MAX_EVENT_ARGS_BYTES },
      });
    }
  }
  return stored;
}

function encodeChecked(def: AnyEventDef, args: unknown, options: { readonly sessionId?: string }): unknown {
  const value = withSessionId(def, args, options.sessionId);
  if (isCodec(def.schema)) {
    const issues: Issue[] = [];
    const encoded = walkOf(def.schema)('encode', value, [], issues);
    if (issues.length > 0) throw invalid(def, issues);
    // Schema.Unknown passes anything through; the eventlog still needs JSON.
    const bad = findNonJson(encoded);
    if (bad !== undefined) throw invalid(def, [{ message: bad.reason, path: bad.path }]);
    return encoded;
  }
  validateSync(def.schema, value, `args for event '${def.name}'`);
  const bad = findNonJson(value);
  if (bad !== undefined) throw invalid(def, [{ message: `${bad.reason}; args of events with a non-ls-elements schema are stored as written and must be JSON`, path: bad.path }]);
  return value;
}

/** Stored args → what the materializer receives; throws LS_DECODE_FAILED (e.g. after a breaking schema change). */
export function decodeEventArgs(def: AnyEventDef, stored: unknown): unknown {
  if (isCodec(def.schema)) {
    const issues: Issue[] = [];
    const decoded = walkOf(def.schema)('decode', stored, [], issues);
    if (issues.length > 0) {
      throw new LsError('LS_DECODE_FAILED', `Stored args of event '${def.name}' do not match its schema: ${formatIssues(issues)}. ` +
        'Changing an event schema incompatibly breaks old events; add a new event version (v2.…) instead.', {
        details: { event: def.name, issues: issuesAsDetails(issues) },
      });
    }
    return decoded;
  }
  return validateSync(def.schema, stored, `stored args of event '${def.name}'`, 'LS_DECODE_FAILED');
}
