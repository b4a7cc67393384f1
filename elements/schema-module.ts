/**
 * The schema as `<ls-store>` sees it: either an `LsSchema` object (bundled apps) or the URL of a
 * module exporting `schema` (no-build pages; the leader worker imports the same URL so the
 * materializers run there too). `eventByName` finds the definition `commit(name, args)` needs,
 * by wire name ('v1.TodoCreated') or, for a module that also exports its `events` record, by key
 * ('todoCreated').
 *
 * Checks are by tag, never `instanceof`: a schema module may import another copy of
 * ls-elements (the ESM file) than the page's classic script.
 */
import { LsError } from '../src/index.ts';
import type { AnyEventDef, LsSchema } from '../src/index.ts';

export interface ResolvedSchema {
  readonly schema: LsSchema;
  /** Absolute URL of the module, when the schema came from one. */
  readonly url?: string;
  /** The module's `events` export, by key, when it has one. */
  readonly eventsByKey: ReadonlyMap<string, AnyEventDef>;
}

export function isLsSchema(value: unknown): value is LsSchema {
  return typeof value === 'object' && value !== null && (value as { _tag?: unknown })._tag === 'ls-schema';
}

function isEventDefLike(value: unknown): value is AnyEventDef {
  return typeof value === 'function' && (value as { _tag?: unknown })._tag === 'event-def';
}

/** Resolves `schema` (object or module URL, relative to `baseUrl`) into a checked schema. */
export async function resolveSchema(schema: LsSchema | string, baseUrl: string): Promise<ResolvedSchema> {
  if (typeof schema !== 'string') {
    if (!isLsSchema(schema)) throw new LsError('LS_INVALID_SCHEMA', '<ls-store>.schema must be the result of makeSchema({ events, state }) or the URL of a module exporting `schema`.');
    return { schema, eventsByKey: new Map() };
  }
  let url: string;
  try {
    url = new URL(schema, baseUrl).href;
  } catch (err) {
    throw new LsError('LS_INVALID_SCHEMA', `<ls-store schema="${schema}">: not a valid URL.`, { cause: err });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (err) {
    throw new LsError('LS_INVALID_SCHEMA', `<ls-store schema="${schema}">: could not import ${url}; check the URL and that it is a JavaScript module.`, { cause: err });
  }
  const found = mod['schema'] ?? mod['default'];
  if (!isLsSchema(found)) {
    throw new LsError('LS_INVALID_SCHEMA', `<ls-store schema="${schema}">: ${url} must export \`schema\` (export const schema = makeSchema({ events, state })).`);
  }
  const eventsByKey = new Map<string, AnyEventDef>();
  const events = mod['events'];
  if (typeof events === 'object' && events !== null) {
    for (const [key, def] of Object.entries(events)) if (isEventDefLike(def)) eventsByKey.set(key, def);
  }
  return { schema: found, url, eventsByKey };
}

/** The definition of event `name`; LS_UNKNOWN_EVENT (naming the known events) when there is none. */
export function eventByName(resolved: ResolvedSchema, name: unknown): AnyEventDef {
  if (typeof name !== 'string' || name === '') {
    throw new LsError('LS_INVALID_ARGUMENT', 'commit(name, args) needs the event name as a string, like commit(\'v1.TodoCreated\', { id, text }).');
  }
  const def = resolved.schema.events.get(name) ?? resolved.eventsByKey.get(name);
  if (def !== undefined) return def;
  const known = [...resolved.schema.events.keys(), ...resolved.eventsByKey.keys()];
  throw new LsError('LS_UNKNOWN_EVENT', `Unknown event '${name}': it is not in this store's schema. Known events: ${known.join(', ')}.`, { details: { event: name } });
}
