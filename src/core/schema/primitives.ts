/**
 * Leaf codecs: String, Number, Int, Boolean, Null, Unknown, JSON, Literal, Date, DateFromNumber.
 *
 * Decoding is lenient where SQLite forces it: Boolean also decodes 0/1 and Number a safe
 * bigint, because raw query rows come back in SQLite's types. Dates are `Date` objects in app
 * code and ISO strings (Date, DateFromString) or epoch milliseconds (DateFromNumber) encoded.
 */
import { makeCodec, typeIssue, type Codec } from './codec.ts';
import { findNonJson, type JsonValue } from './json-value.ts';
import type { IssuePath, Issue } from './issues.ts';

const FAIL: unique symbol = Symbol('fail');
type Decoded<T> = T | typeof FAIL;

interface LeafSpec<T, E> {
  readonly kind: string;
  readonly expected: string;
  readonly check: (value: unknown) => value is T;
  readonly encode?: (value: T) => E;
  /** Defaults to `check`. Returns FAIL when the value cannot be decoded. */
  readonly decode?: (value: unknown) => Decoded<T>;
}

function leaf<T, E = T>(spec: LeafSpec<T, E>): Codec<T, E> {
  return makeCodec<T, E>(spec.kind, spec.expected, (mode, value, path: IssuePath, issues: Issue[]) => {
    if (mode === 'decode' && spec.decode !== undefined) {
      const out = spec.decode(value);
      return out === FAIL ? typeIssue(spec.expected, value, path, issues) : out;
    }
    if (!spec.check(value)) return typeIssue(spec.expected, value, path, issues);
    return mode === 'encode' && spec.encode !== undefined ? spec.encode(value) : value;
  });
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const safeBigint = (v: unknown): v is bigint =>
  typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER);
const isValidDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());

export const stringCodec: Codec<string> = leaf({ kind: 'string', expected: 'a string', check: (v): v is string => typeof v === 'string' });

export const numberCodec: Codec<number> = leaf({
  kind: 'number',
  expected: 'a finite number',
  check: isFiniteNumber,
  decode: (v) => (isFiniteNumber(v) ? v : safeBigint(v) ? Number(v) : FAIL),
});

export const intCodec: Codec<number> = leaf({
  kind: 'int',
  expected: 'an integer',
  check: (v): v is number => Number.isSafeInteger(v),
  decode: (v) => (Number.isSafeInteger(v) ? (v as number) : safeBigint(v) ? Number(v) : FAIL),
});

export const booleanCodec: Codec<boolean> = leaf({
  kind: 'boolean',
  expected: 'a boolean',
  check: (v): v is boolean => typeof v === 'boolean',
  // SQLite has no booleans: raw rows carry 0/1.
  decode: (v) => (typeof v === 'boolean' ? v : v === 1 || v === 1n ? true : v === 0 || v === 0n ? false : FAIL),
});

export const nullCodec: Codec<null> = leaf({ kind: 'null', expected: 'null', check: (v): v is null => v === null });

export const unknownCodec: Codec<unknown> = leaf({ kind: 'unknown', expected: 'any value', check: (_v): _v is unknown => true });

/** Any JSON value; the issue points at the first part JSON cannot carry. */
export const jsonCodec: Codec<JsonValue> = makeCodec<JsonValue, JsonValue>('json', 'a JSON value', (_mode, value, path, issues) => {
  const bad = findNonJson(value, path);
  if (bad === undefined) return value;
  issues.push({ message: bad.reason, path: bad.path });
  return undefined;
});

export type LiteralValue = string | number | boolean | null;

export function literal<const L extends readonly LiteralValue[]>(...values: L): Codec<L[number]> & { readonly literals: L } {
  const expected = values.map((v) => JSON.stringify(v)).join(' | ');
  return leaf<L[number]>({
    kind: 'literal',
    expected: values.length === 1 ? expected : `one of ${expected}`,
    check: (v): v is L[number] => values.some((allowed) => allowed === v),
  }) as Codec<L[number]> & { readonly literals: L };
}

/** LiveStore's newer spelling: `Schema.Literals(['a', 'b'])`. */
export function literals<const L extends readonly LiteralValue[]>(values: L): Codec<L[number]> {
  return literal(...values);
}

/** `Date` in app code, ISO-8601 string encoded. Decodes ISO strings (and Date objects). */
export const dateCodec: Codec<Date, string> = leaf<Date, string>({
  kind: 'date',
  expected: 'a valid Date',
  check: isValidDate,
  encode: (d) => d.toISOString(),
  decode: (v) => {
    if (isValidDate(v)) return new Date(v.getTime());
    if (typeof v !== 'string') return FAIL;
    const d = new Date(v);
    return isValidDate(d) ? d : FAIL;
  },
});

/** `Date` in app code, epoch milliseconds encoded (LiveStore's DateFromNumber). */
export const dateFromNumberCodec: Codec<Date, number> = leaf<Date, number>({
  kind: 'date-from-number',
  expected: 'a valid Date',
  check: isValidDate,
  encode: (d) => d.getTime(),
  decode: (v) => {
    if (isValidDate(v)) return new Date(v.getTime());
    const ms = isFiniteNumber(v) ? v : safeBigint(v) ? Number(v) : undefined;
    if (ms === undefined) return FAIL;
    const d = new Date(ms);
    return isValidDate(d) ? d : FAIL;
  },
});
