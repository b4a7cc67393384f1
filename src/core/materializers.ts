/**
 * Materializers turn events into writes on the state tables:
 *
 *   const materializers = State.SQLite.materializers(events, {
 *     'v1.TodoCreated': ({ id, text }) => todos.insert({ id, text }),
 *     todoCompleted: ({ id }) => todos.update({ completed: true }).where({ id }),
 *   })
 *
 * Handlers are keyed by event name (as LiveStore does) or by the event's key in the record;
 * both resolve to the event name. A handler gets the decoded args (the schema's output) and a
 * context, and returns a write query builder, an array of them, raw `{ sql, bindValues? }`, or
 * nothing. Handlers must be synchronous, deterministic and free of side effects: they run again
 * on every rebase and rebuild. The store supplies the context (`MaterializerContext`) at run time;
 * `ctx.query` reads the state as it is at this point of the transaction.
 */
import { LsError } from './errors.ts';
import type { LiveEvent } from './live-event.ts';
import type { BindValues, SqlRow } from './sql-value.ts';
import type { InferOutput } from './standard-schema.ts';
import type { AnyEventDef, EventDefRecord } from './events.ts';
import type { CompiledQuery, Queryable, WriteQueryable } from './query-builder-types.ts';
import { isPlainObject } from './schema/codec.ts';

/** Raw SQL for `ctx.query`: `{ sql }` (or LiveStore's `{ query }`) with optional bind values. */
export type RawSqlQuery =
  | { readonly sql: string; readonly bindValues?: BindValues }
  | { readonly query: string; readonly bindValues?: BindValues };

export interface MaterializerQuery {
  <R>(query: Queryable<R>): R;
  <R>(query: CompiledQuery<R>): R;
  (query: RawSqlQuery | string): ReadonlyArray<SqlRow>;
}

export interface MaterializerContext {
  /** Reads the state inside the running transaction (sees this event's earlier writes). */
  readonly query: MaterializerQuery;
  /** The event being materialized (args as stored). */
  readonly event: LiveEvent;
  readonly eventDef: AnyEventDef;
}

/** A raw statement a handler may return; `writeTables` helps reactivity when SQLite cannot tell. */
export interface RawStatement {
  readonly sql: string;
  readonly bindValues?: BindValues;
  readonly writeTables?: readonly string[] | ReadonlySet<string>;
}

export type MaterializerOutput = WriteQueryable | RawStatement | string;
export type MaterializerResult = MaterializerOutput | ReadonlyArray<MaterializerOutput> | void | undefined;

export type MaterializerFn<E extends AnyEventDef = AnyEventDef> = (args: InferOutput<E['schema']>, ctx: MaterializerContext) => MaterializerResult;
/** Any handler, whatever its args; stored in maps. */
export type AnyMaterializerFn = (args: never, ctx: MaterializerContext) => MaterializerResult;

export type MaterializerHandlers<E extends EventDefRecord> = { readonly [K in keyof E]?: MaterializerFn<E[K]> } & {
  readonly [K in keyof E as E[K]['name']]?: MaterializerFn<E[K]>;
};

/** Handlers keyed by event name, as `makeState({ materializers })` takes them. */
export type MaterializerRecord = Readonly<Record<string, AnyMaterializerFn>>;

export function materializers<const E extends EventDefRecord>(events: E, handlers: MaterializerHandlers<E>): MaterializerRecord {
  if (!isPlainObject(events)) throw new LsError('LS_INVALID_SCHEMA', 'State.SQLite.materializers(events, handlers) takes the events record first.');
  if (!isPlainObject(handlers)) throw new LsError('LS_INVALID_SCHEMA', 'State.SQLite.materializers(events, handlers) takes an object of handlers.');
  const byName = new Map<string, AnyEventDef>();
  for (const def of Object.values(events)) byName.set(def.name, def);
  const out: Record<string, AnyMaterializerFn> = {};
  for (const [key, handler] of Object.entries(handlers)) {
    const def = byName.get(key) ?? (Object.prototype.hasOwnProperty.call(events, key) ? events[key] : undefined);
    if (def === undefined) {
      throw new LsError('LS_INVALID_SCHEMA', `Materializer '${key}' matches no event (by name or key); events: ${[...byName.keys()].join(', ')}.`);
    }
    if (typeof handler !== 'function') throw new LsError('LS_INVALID_SCHEMA', `Materializer for event '${def.name}' must be a function.`);
    if (Object.prototype.hasOwnProperty.call(out, def.name)) {
      throw new LsError('LS_INVALID_SCHEMA', `Event '${def.name}' has two materializers (by name and by key); keep one.`);
    }
    out[def.name] = handler as AnyMaterializerFn;
  }
  return Object.freeze(out);
}

/** Types one handler on its own, for materializers defined apart from `materializers()`. */
export function defineMaterializer<E extends AnyEventDef>(_event: E, handler: MaterializerFn<E>): MaterializerFn<E> {
  return handler;
}

/** One statement to run for an event. */
export interface MaterializerStatement {
  readonly sql: string;
  readonly bindValues: BindValues;
  /** Tables written, when known without asking SQLite. */
  readonly writeTables: readonly string[] | undefined;
}

function failed(eventName: string, message: string): LsError {
  return new LsError('LS_MATERIALIZER_FAILED', `Materializer for event '${eventName}' ${message}`, { details: { event: eventName } });
}

/** What a handler returned → the statements to run, in order. Throws LS_MATERIALIZER_FAILED for anything else. */
export function normalizeMaterializerResult(
  result: unknown,
  options: { readonly eventName: string; readonly sessionId?: string },
): MaterializerStatement[] {
  if (result === undefined || result === null) return [];
  if (Array.isArray(result)) return result.flatMap((item: unknown) => normalizeOne(item, options));
  return normalizeOne(result, options);
}

function normalizeOne(item: unknown, options: { readonly eventName: string; readonly sessionId?: string }): MaterializerStatement[] {
  const { eventName } = options;
  if (typeof item === 'string') return [{ sql: item, bindValues: [], writeTables: undefined }];
  if (typeof item !== 'object' || item === null) throw failed(eventName, `returned ${typeof item}; return a write query (todos.insert(…)), an array of them, { sql, bindValues }, or nothing.`);
  if (typeof (item as { then?: unknown }).then === 'function') throw failed(eventName, 'returned a Promise; materializers must be synchronous.');
  if (typeof (item as { asSql?: unknown }).asSql === 'function') {
    const compileOptions = options.sessionId === undefined ? {} : { sessionId: options.sessionId };
    const compiled = (item as Queryable).asSql(compileOptions);
    if (compiled.kind !== 'write') throw failed(eventName, `returned a read query (${compiled.sql}); return writes only, and read with ctx.query(…).`);
    return [{ sql: compiled.sql, bindValues: compiled.bindValues, writeTables: [compiled.table] }];
  }
  const raw = item as Partial<RawStatement>;
  if (typeof raw.sql === 'string') {
    const writeTables = raw.writeTables === undefined ? undefined : [...raw.writeTables];
    return [{ sql: raw.sql, bindValues: raw.bindValues ?? [], writeTables }];
  }
  throw failed(eventName, 'returned an object that is neither a query builder nor { sql, bindValues }.');
}
