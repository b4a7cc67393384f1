/**
 * `makeSchema({ events, state })`: everything a store needs to know about an app, checked once.
 *
 * - `events`: every event definition by name, client documents' derived `…Set` events included;
 * - `tables`: every state table by name;
 * - `materializerFor(name)`: the handler of an event (undefined for a clientOnly event without one);
 * - `hash`: fingerprint of all tables' DDL, the materializer version and the materialized events. A store whose persisted
 *   state has another hash rebuilds it from the eventlog.
 *
 * - `unknownEventHandling`: what materializing does with an event whose name this schema lacks
 *   (one from a newer app version, arriving through sync or found in the eventlog): 'warn'
 *   (default) and 'ignore' skip it, 'callback' skips it and calls `onUnknownEvent`, 'fail' throws
 *   LS_UNKNOWN_EVENT. A skipped event stays in the eventlog: a later version that knows it
 *   materializes it when it rebuilds. Commits of unknown events are always refused.
 *
 * Checks (LS_INVALID_SCHEMA): duplicate event names, materializers for unknown events, and a
 * materializer for every synced event (without one a synced event would change nothing here
 * but still be sent to every client).
 */
import { LsError } from './errors.ts';
import type { AnyEventDef, EventDefRecord } from './events.ts';
import { isEventDef } from './events.ts';
import type { AnyMaterializerFn } from './materializers.ts';
import { isClientDocumentDef } from './client-document.ts';
import type { StateDef, TableInput } from './make-state.ts';
import type { AnyTableDef } from './table.ts';
import { fnv1a64 } from './hash.ts';
import { isPlainObject } from './schema/codec.ts';

export type EventInputList = EventDefRecord | readonly AnyEventDef[];

export interface UnknownEventInfo {
  readonly name: string;
  readonly id: string;
  readonly args: unknown;
}

export type UnknownEventHandling =
  | { readonly strategy: 'warn' | 'ignore' | 'fail' }
  | { readonly strategy: 'callback'; readonly onUnknownEvent: (event: UnknownEventInfo) => void };

export interface LsSchema<E extends EventInputList = EventInputList, T extends TableInput = TableInput> {
  readonly _tag: 'ls-schema';
  readonly events: ReadonlyMap<string, AnyEventDef>;
  readonly tables: ReadonlyMap<string, AnyTableDef>;
  readonly materializerVersion: number;
  readonly hash: string;
  materializerFor(eventName: string): AnyMaterializerFn | undefined;
  readonly unknownEventHandling: UnknownEventHandling;
  /** Type carrier only (typed commit and queries in the store). */
  readonly '~types'?: { readonly events: E; readonly tables: T };
}

function invalid(message: string): LsError {
  return new LsError('LS_INVALID_SCHEMA', `makeSchema: ${message}`);
}

/**
 * The schema hash: stable across table and event order; changes with any DDL, the materializer
 * version, or the set of materialized events (so a version that learns an event it skipped
 * before rebuilds its state from the eventlog, where that event was kept).
 */
export function schemaHash(tables: Iterable<AnyTableDef>, materializerVersion: number, materialized: Iterable<string> = []): string {
  const ddl = [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((t) => t.createSql());
  return fnv1a64(JSON.stringify({ materializerVersion, ddl, events: [...materialized].sort() }));
}

export function makeSchema<const E extends EventInputList, T extends TableInput>(options: { readonly events: E; readonly state: StateDef<T>; readonly unknownEventHandling?: UnknownEventHandling }): LsSchema<E, T> {
  if (!isPlainObject(options)) throw invalid('takes { events, state }.');
  const unknownEventHandling = checkUnknownEventHandling(options.unknownEventHandling);
  const { state } = options;
  if (!isPlainObject(state) || state._tag !== 'state') throw invalid('state must come from State.SQLite.makeState({ tables, materializers }).');
  const record: Readonly<Record<string, unknown>> = Array.isArray(options.events) ? {} : isPlainObject(options.events) ? options.events : {};
  const list: unknown[] = Array.isArray(options.events) ? [...options.events] : Object.values(record);

  const events = new Map<string, AnyEventDef>();
  const add = (def: AnyEventDef): void => {
    const existing = events.get(def.name);
    if (existing !== undefined && existing !== def) throw invalid(`two events are named '${def.name}'; event names must be unique.`);
    events.set(def.name, def);
  };
  for (const def of list) {
    if (!isEventDef(def)) throw invalid('every entry of events must be an Events.synced(…) or Events.clientOnly(…) definition.');
    add(def);
  }
  for (const t of state.tables.values()) if (isClientDocumentDef(t)) add(t.set);

  // Handlers may be keyed by event name or by the event's key in the events record.
  const handlers = new Map<string, AnyMaterializerFn>();
  for (const [key, fn] of state.materializers) {
    const byKey = record[key];
    const name = events.has(key) ? key : isEventDef(byKey) ? byKey.name : undefined;
    if (name === undefined) throw invalid(`there is a materializer for '${key}', but no such event; events: ${[...events.keys()].join(', ')}.`);
    if (handlers.has(name)) throw invalid(`event '${name}' has two materializers; keep one.`);
    handlers.set(name, fn);
  }
  const missing = [...events.values()].filter((e) => !e.clientOnly && !handlers.has(e.name)).map((e) => `'${e.name}'`);
  if (missing.length > 0) {
    throw invalid(`synced event${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} no materializer; add one to State.SQLite.materializers(events, {...}).`);
  }

  const hash = schemaHash(state.tables.values(), state.materializerVersion, handlers.keys());
  return Object.freeze({
    _tag: 'ls-schema',
    events,
    tables: state.tables,
    materializerVersion: state.materializerVersion,
    hash,
    materializerFor: (eventName: string) => handlers.get(eventName),
    unknownEventHandling,
  }) as LsSchema<E, T>;
}

function checkUnknownEventHandling(input: unknown): UnknownEventHandling {
  if (input === undefined) return { strategy: 'warn' };
  const strategy = isPlainObject(input) ? input['strategy'] : undefined;
  if (strategy === 'warn' || strategy === 'ignore' || strategy === 'fail') return { strategy };
  if (strategy === 'callback' && isPlainObject(input) && typeof input['onUnknownEvent'] === 'function') {
    return { strategy, onUnknownEvent: input['onUnknownEvent'] as (event: UnknownEventInfo) => void };
  }
  throw invalid("unknownEventHandling must be { strategy: 'warn' | 'ignore' | 'fail' } or { strategy: 'callback', onUnknownEvent(event) {…} }.");
}
