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
export function encodeEventArgs(def: AnyEventDef, args: unknown, options: { readonly sessionId?: string } = {}): unknown {
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
