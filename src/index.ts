/**
 * ls-elements: the public API, listed. LiveStore's documented names, so its examples port by
 * changing imports. Elements are registered by `ls-elements/elements` (or the distribution
 * build), never here: this entry must also evaluate inside the leader worker.
 */
export { Schema, validateSync } from './core/schema.ts';
export type { TypeOf, JsonValue } from './core/schema.ts';
export { Events } from './core/events.ts';
export type { EventDef, AnyEventDef } from './core/events.ts';
export { State } from './core/state.ts';
export { makeSchema } from './core/make-schema.ts';
export type { LsSchema, UnknownEventHandling, UnknownEventInfo } from './core/make-schema.ts';
export { SessionIdSymbol } from './core/session-id-symbol.ts';
export { sql } from './core/sql-tag.ts';
export type { SqlQuery } from './core/sql-tag.ts';
export { queryDb } from './core/query-def.ts';
export type { QueryDef } from './core/query-def.ts';
export { signal, computed } from './core/reactive/definitions.ts';
export type { SignalDef, ComputedDef, LiveDef } from './core/reactive/definitions.ts';
export { LsError, isLsError } from './core/errors.ts';
export type { LsErrorCode } from './core/errors.ts';
export type { LiveEvent, EventInput } from './core/live-event.ts';
export type { StandardSchemaV1 } from './core/standard-schema.ts';
export { createStorePromise } from './session/create-store.ts';
export type { CreateStoreOptions } from './session/create-store.ts';
export { Store } from './session/store.ts';
export type { CommitInput, SubscribeOptions } from './session/store.ts';
export { makeInMemoryAdapter } from './session/in-memory-adapter.ts';
export type { Adapter, LeaderConnection } from './session/adapter.ts';
export { makePersistedAdapter } from './session/web-adapter.ts';
export type { PersistedAdapter, PersistedAdapterOptions } from './session/web-adapter.ts';
export type { LeaderWorkerConstructor } from './session/web-adapter.ts';
export type { SyncOptions } from './leader/leader-sync-runner.ts';
export type { SyncStatus, SyncPhase } from './sync/sync-status.ts';
export type { OnConflict, Conflict, ConflictDecision, Replacement } from './core/sync-state.ts';
export type { InMemoryAdapterOptions } from './session/in-memory-adapter.ts';
