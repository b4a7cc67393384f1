/**
 * Composite codecs: Array(item), Record({ key, value }), Union(...members), NullOr(s).
 *
 * A Union tries its members in order and takes the first that fits, so for decoding list the
 * more specific member first (`Union(Schema.Date, Schema.String)` decodes ISO strings as Dates).
 * When no member fits, the message names all members; if exactly one member failed only below
 * the top level (the value had its shape, a nested part was wrong), that member's issues are
 * reported instead, because they are the useful ones.
 */
import type { StandardSchemaV1 } from '../standard-schema.ts';
import { expectedOf, isPlainObject, makeCodec, typeIssue, walkOf, type Codec, type EncodedOf, type TypeOf, type Walk } from './codec.ts';
import type { Issue } from './issues.ts';

export type ArrayCodec<S extends StandardSchemaV1> = Codec<ReadonlyArray<TypeOf<S>>, ReadonlyArray<EncodedOf<S>>> & { readonly item: S };

export function arrayOf<S extends StandardSchemaV1>(item: S): ArrayCodec<S> {
  const itemWalk = walkOf(item);
  const walk: Walk = (mode, value, path, issues) => {
    if (!Array.isArray(value)) return typeIssue('an array', value, path, issues);
    return value.map((element: unknown, i) => itemWalk(mode, element, [...path, i], issues));
  };
  return makeCodec('array', `an array of ${expectedOf(item)}`, walk, { item }) as ArrayCodec<S>;
}

export type RecordCodec<K extends StandardSchemaV1, V extends StandardSchemaV1> = Codec<
  { readonly [P in TypeOf<K> & string]: TypeOf<V> },
  { readonly [P in EncodedOf<K> & string]: EncodedOf<V> }
>;

/** `Schema.Record({ key: Schema.String, value: Schema.Number })`: an object used as a map. */
export function recordOf<K extends StandardSchemaV1, V extends StandardSchemaV1>(options: { readonly key: K; readonly value: V }): RecordCodec<K, V> {
  const keyWalk = walkOf(options.key);
  const valueWalk = walkOf(options.value);
  const walk: Walk = (mode, value, path, issues) => {
    if (!isPlainObject(value)) return typeIssue('an object', value, path, issues);
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry === undefined) continue;
      keyWalk('validate', key, [...path, key], issues);
      out[key] = valueWalk(mode, entry, [...path, key], issues);
    }
    return out;
  };
  return makeCodec('record', `a record of ${expectedOf(options.value)}`, walk);
}

export type UnionCodec<M extends readonly StandardSchemaV1[]> = Codec<TypeOf<M[number]>, EncodedOf<M[number]>> & { readonly members: M };

export function union<const M extends readonly StandardSchemaV1[]>(...members: M): UnionCodec<M> {
  const walks = members.map(walkOf);
  const expected = members.map(expectedOf).join(' | ');
  const walk: Walk = (mode, value, path, issues) => {
    const failures: Issue[][] = [];
    for (const memberWalk of walks) {
      // Encoding picks the member by validating the app value, then encodes with it.
      const probe: Issue[] = [];
      const out = memberWalk(mode === 'encode' ? 'validate' : mode, value, path, probe);
      if (probe.length === 0) return mode === 'encode' ? memberWalk('encode', value, path, issues) : out;
      failures.push(probe);
    }
    const deep = failures.filter((f) => f.every((issue) => issue.path.length > path.length));
    if (deep.length === 1 && deep[0] !== undefined) issues.push(...deep[0]);
    else typeIssue(expected, value, path, issues);
    return undefined;
  };
  return makeCodec('union', expected, walk, { members }) as UnionCodec<M>;
}

export type NullOrCodec<S extends StandardSchemaV1> = Codec<TypeOf<S> | null, EncodedOf<S> | null> & { readonly inner: S };

/** `T | null`; `Schema.nullable` is the same. */
export function nullOr<S extends StandardSchemaV1>(inner: S): NullOrCodec<S> {
  const innerWalk = walkOf(inner);
  const walk: Walk = (mode, value, path, issues) => (value === null ? null : innerWalk(mode, value, path, issues));
  return makeCodec('null-or', `${expectedOf(inner)} or null`, walk, { inner }) as NullOrCodec<S>;
}
