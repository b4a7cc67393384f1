/**
 * `SessionIdSymbol` stands for "the id of the current session (tab)" in queries and event args,
 * as in LiveStore: `tables.uiState.get(SessionIdSymbol)`. Definitions are made before any store
 * exists, so the symbol is replaced when a store compiles the query (`asSql({ sessionId })`) or
 * commits the event (`encodeEventArgs(def, args, { sessionId })`).
 */
import { LsError } from './errors.ts';

export const SessionIdSymbol: unique symbol = Symbol.for('ls-elements/session-id');
export type SessionIdSymbol = typeof SessionIdSymbol;

/** Replaces the symbol by the session id; throws LS_INVALID_QUERY if no session id is known. */
export function resolveSessionId<T>(value: T | SessionIdSymbol, sessionId: string | undefined, where: string): T | string {
  if (value !== SessionIdSymbol) return value;
  if (sessionId === undefined) {
    throw new LsError(
      'LS_INVALID_QUERY',
      `${where} uses SessionIdSymbol, but no session id was given: run it through a store (store.query/commit), ` +
        'or pass { sessionId } when compiling it yourself.',
    );
  }
  return sessionId;
}
