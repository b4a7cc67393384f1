/**
 * JSON values: what the eventlog, the wire and json columns can hold. `findNonJson` walks a
 * value and returns the path of the first part that JSON cannot carry faithfully (undefined in
 * an array, NaN, a Date, a class instance, a cycle…), so callers can say exactly what to fix.
 */
import type { IssuePath } from './issues.ts';
import { isPlainObject } from './codec.ts';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface NonJson {
  readonly path: IssuePath;
  readonly reason: string;
}

export function findNonJson(value: unknown, path: IssuePath = [], ancestors: Set<object> = new Set()): NonJson | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, reason: `${value} is not a JSON number` };
  if (typeof value !== 'object') return { path, reason: `${typeof value} is not JSON` };
  if (ancestors.has(value)) return { path, reason: 'the value contains a cycle' };
  if (Array.isArray(value)) {
    ancestors.add(value);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const found = item === undefined ? { path: [...path, i], reason: 'undefined is not JSON' } : findNonJson(item, [...path, i], ancestors);
      if (found !== undefined) return found;
    }
    ancestors.delete(value);
    return undefined;
  }
  if (!isPlainObject(value)) {
    const name = value instanceof Date ? 'a Date' : 'a class instance';
    return { path, reason: `${name} is not JSON (use a plain object, or Schema.Date to encode dates)` };
  }
  ancestors.add(value);
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue; // JSON.stringify drops undefined properties, which is harmless
    const found = findNonJson(item, [...path, key], ancestors);
    if (found !== undefined) return found;
  }
  ancestors.delete(value);
  return undefined;
}

export function isJsonValue(value: unknown): value is JsonValue {
  return findNonJson(value) === undefined;
}
