/**
 * Event definitions, as LiveStore writes them:
 *
 *   export const events = {
 *     todoCreated: Events.synced({ name: 'v1.TodoCreated', schema: Schema.Struct({ id: Schema.String, text: Schema.String }) }),
 *     draftChanged: Events.clientOnly({ name: 'v1.DraftChanged', schema: Schema.Struct({ text: Schema.String }) }),
 *   }
 *   store.commit(events.todoCreated({ id: '1', text: 'milk' }))
 *
 * A definition is callable: it builds the `{ name, args }` to commit, typed by the schema's
 * input so a wrongly shaped call does not compile. It does not validate: `commit` does (see
 * event-args.ts), so a bad commit throws before anything is written. synced events go to the
 * sync server; clientOnly events stay in this browser profile (shared by its tabs).
 * `name` is the stable wire name (version it, 'v1.TodoCreated'); the record key is only a
 * handle in code.
 */
import { LsError } from './errors.ts';
import type { EventInput } from './live-event.ts';
import type { InferInput, StandardSchemaV1 } from './standard-schema.ts';
import { isStandardSchema } from './schema/codec.ts';

/** What every event definition has; the type of events in maps and records. */
export interface AnyEventDef {
  readonly _tag: 'event-def';
  readonly name: string;
  readonly schema: StandardSchemaV1;
  readonly clientOnly: boolean;
  /** Why the event is deprecated (still materialized; new code should not commit it). */
  readonly deprecated: string | undefined;
  /** Set for events that a client document derives (`uiStateSet`). */
  readonly derived: boolean;
}

export interface EventDef<Name extends string = string, S extends StandardSchemaV1 = StandardSchemaV1> extends AnyEventDef {
  (args: InferInput<S>): EventInput<Name, InferInput<S>>;
  readonly name: Name;
  readonly schema: S;
}

export type EventDefRecord = Readonly<Record<string, AnyEventDef>>;

export interface EventDefOptions<Name extends string, S extends StandardSchemaV1> {
  readonly name: Name;
  readonly schema: S;
  /** A reason; the event keeps working, devtools and docs can flag it. */
  readonly deprecated?: string;
}

/**
 * @internal shared by synced, clientOnly and client documents. `callable` replaces the default
 * `(args) => ({ name, args })` builder (client documents' `set(value, id?)`).
 */
export function defineEvent<const Name extends string, S extends StandardSchemaV1>(
  options: EventDefOptions<Name, S>,
  clientOnly: boolean,
  derived = false,
  callable?: (...args: never[]) => EventInput<Name>,
): EventDef<Name, S> {
  const kind = clientOnly ? 'Events.clientOnly' : 'Events.synced';
  if (typeof options !== 'object' || options === null) throw new LsError('LS_INVALID_SCHEMA', `${kind}({ name, schema }) takes an options object.`);
  const { name, schema, deprecated } = options;
  if (typeof name !== 'string' || name.trim() === '') throw new LsError('LS_INVALID_SCHEMA', `${kind}({ name }) needs a non-empty name, like 'v1.TodoCreated'.`);
  if (!isStandardSchema(schema)) {
    throw new LsError('LS_INVALID_SCHEMA', `Event '${name}': schema must be a Standard Schema (Schema.Struct({...}), or zod, valibot…).`);
  }
  if (deprecated !== undefined && typeof deprecated !== 'string') throw new LsError('LS_INVALID_SCHEMA', `Event '${name}': deprecated must be a string (the reason).`);
  const build = callable ?? ((args: InferInput<S>): EventInput<Name, InferInput<S>> => Object.freeze({ name, args }));
  Object.defineProperties(build, {
    _tag: { value: 'event-def', enumerable: true },
    name: { value: name, enumerable: true },
    schema: { value: schema, enumerable: true },
    clientOnly: { value: clientOnly, enumerable: true },
    deprecated: { value: deprecated, enumerable: true },
    derived: { value: derived, enumerable: true },
  });
  return Object.freeze(build) as unknown as EventDef<Name, S>;
}

function synced<const Name extends string, S extends StandardSchemaV1>(options: EventDefOptions<Name, S>): EventDef<Name, S> {
  return defineEvent(options, false);
}

function clientOnly<const Name extends string, S extends StandardSchemaV1>(options: EventDefOptions<Name, S>): EventDef<Name, S> {
  return defineEvent(options, true);
}

export const Events = Object.freeze({ synced, clientOnly });

export function isEventDef(value: unknown): value is AnyEventDef {
  return typeof value === 'function' && (value as { _tag?: unknown })._tag === 'event-def';
}
