/**
 * Definitions of reactive values, made by users before any store exists: `signal(initial)` and
 * `computed(get => ...)`; the store adds query definitions (`queryDb`) of the same shape.
 *
 * A definition is only a description, frozen, and can be used by any number of stores. Each
 * store instantiates it once, on first use, as a node of its own ReactiveGraph (an atom for a
 * signal, a thunk for a computed or query) and keeps it in a Map keyed by the definition
 * object, so identity is the definition object itself: define once at module level, not in a
 * render function. `_tag` is the discriminator the store switches on.
 *
 * `get` inside a computed accepts any `LiveDef` (signal, computed or query) and returns its
 * value in the same store, recording the dependency.
 */
import { LsError } from '../errors.ts';

/** Anything a store can read reactively: a signal, a computed, or a query definition. */
export interface LiveDef<T> {
  readonly _tag: 'signal' | 'computed' | 'query';
  readonly label: string;
  /** Type carrier only, never present at runtime. */
  readonly __type?: T;
}

/** Reads another definition inside a computed, in the same store. */
export type LiveGet = <U>(def: LiveDef<U>) => U;

/** Values a computed closes over; shown in its default label, for devtools. */
export type DepKey = string | number | boolean | null | readonly (string | number | boolean | null)[];

export interface SignalDef<T> extends LiveDef<T> {
  readonly _tag: 'signal';
  readonly initial: T;
  /** Decides whether `setSignal` is a change; absent means Object.is. */
  readonly equal?: (a: T, b: T) => boolean;
}

export interface ComputedDef<T> extends LiveDef<T> {
  readonly _tag: 'computed';
  readonly fn: (get: LiveGet) => T;
  readonly deps?: DepKey;
  /** Decides whether a recompute is a change; absent means structural deep equality. */
  readonly equal?: (a: T, b: T) => boolean;
}

let nextDefId = 1;

/**
 * A settable reactive value, per store: `store.setSignal(def, v)` or `(prev) => v`. Each store
 * starts from `initial`; to hold a function as the value, set it with `() => fn`.
 */
export function signal<T>(initial: T, options: { label?: string; equal?: (a: T, b: T) => boolean } = {}): SignalDef<T> {
  const def: { -readonly [K in keyof SignalDef<T>]: SignalDef<T>[K] } = {
    _tag: 'signal',
    label: options.label ?? `signal#${nextDefId++}`,
    initial,
  };
  if (options.equal !== undefined) def.equal = options.equal;
  return Object.freeze(def);
}

/**
 * A value derived from other definitions: `computed((get) => get(a) + get(b), { label })`.
 * `fn` runs lazily and synchronously, at most once per change of what it read, and must not
 * write. Subscribers hear about it only when its result changed (deep equality by default).
 */
export function computed<T>(
  fn: (get: LiveGet) => T,
  options: { label?: string; deps?: DepKey; equal?: (a: T, b: T) => boolean } = {},
): ComputedDef<T> {
  if (typeof fn !== 'function') {
    throw new LsError('LS_INVALID_ARGUMENT', 'computed(fn) needs a function, like computed((get) => get(count) * 2)');
  }
  const id = nextDefId++;
  const def: { -readonly [K in keyof ComputedDef<T>]: ComputedDef<T>[K] } = {
    _tag: 'computed',
    label: options.label ?? (options.deps === undefined ? `computed#${id}` : `computed#${id}(${JSON.stringify(options.deps)})`),
    fn,
  };
  if (options.deps !== undefined) def.deps = options.deps;
  if (options.equal !== undefined) def.equal = options.equal;
  return Object.freeze(def);
}

export function isLiveDef(value: unknown): value is LiveDef<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const tag = (value as { _tag?: unknown })._tag;
  return (tag === 'signal' || tag === 'computed' || tag === 'query') && typeof (value as { label?: unknown }).label === 'string';
}

export function isSignalDef(value: unknown): value is SignalDef<unknown> {
  return isLiveDef(value) && value._tag === 'signal';
}

export function isComputedDef(value: unknown): value is ComputedDef<unknown> {
  return isLiveDef(value) && value._tag === 'computed';
}
