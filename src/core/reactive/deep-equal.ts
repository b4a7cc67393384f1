/**
 * Structural equality for query results and computed values: the graph calls it after a thunk
 * recomputes to decide whether dependents and subscribers must hear about it, so a query that
 * re-runs after an unrelated write to its table stays silent.
 *
 * What it understands is what SQLite rows and JSON columns hold: primitives (by `Object.is`, so
 * NaN equals NaN and 0 differs from -0), arrays, plain objects (own enumerable string keys,
 * prototype `Object.prototype` or `null`), typed arrays / DataView / ArrayBuffer (byte by byte),
 * Date (by time), Map (keys by identity, values deeply) and Set (members by identity).
 * Anything else, such as class instances or functions, compares by identity: we cannot know what
 * equality means for it, and "different" only costs a spurious notification.
 *
 * Values must be trees; a cyclic structure would recurse forever (query results never are).
 */

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;

  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  if (aIsArray) return arraysEqual(a as readonly unknown[], b as readonly unknown[]);

  const proto: unknown = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Object.prototype || proto === null) {
    return plainObjectsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
  }
  if (ArrayBuffer.isView(a)) return bytesEqual(a, b as ArrayBufferView);
  if (a instanceof ArrayBuffer) return bytesEqual(new Uint8Array(a), new Uint8Array(b as ArrayBuffer));
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof Map) return mapsEqual(a, b as Map<unknown, unknown>);
  if (a instanceof Set) return setsEqual(a, b as Set<unknown>);
  return false;
}

function arraysEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!deepEqual(a[i], b[i])) return false;
  }
  return true;
}

function plainObjectsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false;
  }
  return true;
}

function bytesEqual(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return false;
  }
  return true;
}

function mapsEqual(a: Map<unknown, unknown>, b: Map<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key) || !deepEqual(value, b.get(key))) return false;
  }
  return true;
}

function setsEqual(a: Set<unknown>, b: Set<unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const member of a) {
    if (!b.has(member)) return false;
  }
  return true;
}
