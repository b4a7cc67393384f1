/**
 * Materializing one event into a state database: find its materializer, decode its stored args,
 * run the handler with `ctx.query` reading the live transaction, run the statements it returned.
 * The same code runs in every tab's in-memory db and in the leader's persisted db, so they agree.
 *
 * Returns the tables written (for reactivity). Any failure, from the handler or from SQLite,
 * becomes LS_MATERIALIZER_FAILED naming the event, with the original error as `cause`; the
 * caller runs this inside a savepoint so nothing of a failed event stays.
 */
import { LsError, isLsError } from '../core/errors.ts';
import { decodeEventArgs } from '../core/event-args.ts';
import type { LiveEvent } from '../core/live-event.ts';
import type { LsSchema } from '../core/make-schema.ts';
import { normalizeMaterializerResult, type MaterializerContext, type MaterializerQuery } from '../core/materializers.ts';
import type { SqlRow } from '../core/sql-value.ts';
import type { SqliteDatabase } from '../sqlite/sqlite-database.ts';
import { runQuery } from './run-query.ts';
import { isStorageFailure } from '../sqlite/sqlite-error.ts';

export function materializeEvent(db: SqliteDatabase, schema: LsSchema, event: LiveEvent, sessionId: string): Set<string> {
  const def = schema.events.get(event.name);
  if (def === undefined) return skipUnknown(schema, event);
  const handler = schema.materializerFor(event.name);
  const written = new Set<string>();
  if (handler === undefined) return written;
  try {
    const args = decodeEventArgs(def, event.args);
    const query = ((q: unknown) => runQuery(db, q, sessionId)) as MaterializerQuery;
    const ctx: MaterializerContext = { query, event, eventDef: def };
    const statements = normalizeMaterializerResult((handler as (a: unknown, c: MaterializerContext) => unknown)(args, ctx), { eventName: event.name, sessionId });
    for (const st of statements) {
      db.run(st.sql, st.bindValues);
      const tables = st.writeTables ?? [...db.tablesUsed(st.sql).written];
      for (const t of tables) written.add(t);
    }
    return written;
  } catch (err) {
    if (isLsError(err, 'LS_MATERIALIZER_FAILED') || isStorageFailure(err)) throw err; // the disk's fault, not the materializer's
    const why = err instanceof Error ? err.message : String(err);
    throw new LsError('LS_MATERIALIZER_FAILED', `Materializer for event '${event.name}' failed: ${why}. Nothing of this commit was applied; fix the materializer or the event args.`, {
      cause: err,
      details: { event: event.name, eventId: event.id },
    });
  }
}

const warned = new Set<string>();

/** An event of a newer app version: skipped unless the schema says fail (see make-schema.ts). */
function skipUnknown(schema: LsSchema, event: LiveEvent): Set<string> {
  const handling = schema.unknownEventHandling;
  if (handling.strategy === 'fail') {
    throw new LsError('LS_UNKNOWN_EVENT', `Event '${event.name}' is not in this store's schema (from a newer app version?); add it to makeSchema({ events }), or choose another unknownEventHandling.`, { details: { event: event.name, eventId: event.id } });
  }
  if (handling.strategy === 'callback') handling.onUnknownEvent({ name: event.name, id: event.id, args: event.args });
  if (handling.strategy === 'warn' && !warned.has(event.name)) {
    warned.add(event.name);
    console.warn(`[ls-elements] skipped event '${event.name}': it is not in this schema (from a newer app version?). It stays in the eventlog.`);
  }
  return new Set();
}

export type { SqlRow };
