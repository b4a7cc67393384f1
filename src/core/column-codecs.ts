/**
 * How each column kind maps app values to SQLite values and back:
 *
 *   text → TEXT string · integer → INTEGER number · real → REAL number · blob → BLOB Uint8Array
 *   boolean → INTEGER 0/1 · json → TEXT (JSON) · datetime → TEXT ISO-8601 · datetimeInteger →
 *   INTEGER epoch ms
 *
 * A column `schema` sits on top: our codecs encode first (Literal → string, DateFromNumber →
 * number) and decode after; a foreign Standard Schema only validates on read (it cannot
 * encode). Encoding errors are LS_INVALID_QUERY, decoding errors LS_DECODE_FAILED; the table
 * adds the column name to the message.
 */
import { LsError } from './errors.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';
import type { SqlValue } from './sql-value.ts';
import { isCodec, walkOf } from './schema/codec.ts';
import { describeValue, formatIssues, type Issue } from './schema/issues.ts';
import { findNonJson } from './schema/json-value.ts';
import { validateSync } from './schema/validate-sync.ts';

export type ColumnKind = 'text' | 'integer' | 'real' | 'blob' | 'boolean' | 'json' | 'datetime' | 'datetimeInteger';
export type SqliteColumnType = 'TEXT' | 'INTEGER' | 'REAL' | 'BLOB';

export interface SqlCodec {
  readonly sqlType: SqliteColumnType;
  encode(value: unknown): SqlValue;
  decode(raw: SqlValue): unknown;
}

interface BaseCodec {
  readonly sqlType: SqliteColumnType;
  readonly encode: (value: unknown) => SqlValue;
  readonly decode: (raw: SqlValue) => unknown;
}

function encodeError(expected: string, value: unknown): LsError {
  return new LsError('LS_INVALID_QUERY', `expected ${expected}, got ${describeValue(value)}`);
}
function decodeError(expected: string, raw: unknown): LsError {
  return new LsError('LS_DECODE_FAILED', `expected ${expected} in the database, got ${describeValue(raw)}`);
}
const validDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
function toNumber(raw: SqlValue, expected: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint' && raw <= MAX && raw >= -MAX) return Number(raw);
  throw decodeError(expected, raw);
}

const base: Record<ColumnKind, BaseCodec> = {
  text: {
    sqlType: 'TEXT',
    encode: (v) => { if (typeof v === 'string') return v; throw encodeError('a string', v); },
    decode: (r) => { if (typeof r === 'string') return r; throw decodeError('a string', r); },
  },
  integer: {
    sqlType: 'INTEGER',
    encode: (v) => { if (Number.isSafeInteger(v) || typeof v === 'bigint') return v as number | bigint; throw encodeError('an integer', v); },
    decode: (r) => toNumber(r, 'a safe integer (use a text column for larger values)'),
  },
  real: {
    sqlType: 'REAL',
    encode: (v) => { if (typeof v === 'number' && Number.isFinite(v)) return v; throw encodeError('a finite number', v); },
    decode: (r) => toNumber(r, 'a number'),
  },
  blob: {
    sqlType: 'BLOB',
    encode: (v) => { if (v instanceof Uint8Array) return v; throw encodeError('a Uint8Array', v); },
    decode: (r) => { if (r instanceof Uint8Array) return r; throw decodeError('a blob', r); },
  },
  boolean: {
    sqlType: 'INTEGER',
    encode: (v) => { if (typeof v === 'boolean') return v ? 1 : 0; throw encodeError('a boolean', v); },
    decode: (r) => { if (r === 1 || r === 1n) return true; if (r === 0 || r === 0n) return false; throw decodeError('0 or 1', r); },
  },
  json: {
    sqlType: 'TEXT',
    encode: (v) => {
      const bad = findNonJson(v);
      if (bad !== undefined) throw new LsError('LS_INVALID_QUERY', `not JSON: ${formatIssues([{ message: bad.reason, path: bad.path }])}`);
      return JSON.stringify(v);
    },
    decode: (r) => {
      if (typeof r !== 'string') throw decodeError('JSON text', r);
      try { return JSON.parse(r) as unknown; } catch { throw decodeError('valid JSON text', r); }
    },
  },
  datetime: {
    sqlType: 'TEXT',
    encode: (v) => { if (validDate(v)) return v.toISOString(); throw encodeError('a valid Date', v); },
    decode: (r) => { const d = typeof r === 'string' ? new Date(r) : undefined; if (validDate(d)) return d; throw decodeError('an ISO date string', r); },
  },
  datetimeInteger: {
    sqlType: 'INTEGER',
    encode: (v) => { if (validDate(v)) return v.getTime(); throw encodeError('a valid Date', v); },
    decode: (r) => new Date(toNumber(r, 'epoch milliseconds')),
  },
};

/** Whether a kind takes a `schema` option (the others have a fixed app type). */
export const kindTakesSchema = (kind: ColumnKind): boolean => kind === 'text' || kind === 'integer' || kind === 'real' || kind === 'blob' || kind === 'json';

export function sqlCodecFor(kind: ColumnKind, schema: StandardSchemaV1 | undefined, nullable: boolean): SqlCodec {
  const b = base[kind];
  let encode = b.encode;
  let decode = b.decode;
  if (schema !== undefined && isCodec(schema)) {
    const walk = walkOf(schema);
    encode = (v) => {
      const issues: Issue[] = [];
      const encoded = walk('encode', v, [], issues);
      if (issues.length > 0) throw new LsError('LS_INVALID_QUERY', formatIssues(issues));
      return b.encode(encoded);
    };
    decode = (r) => {
      const issues: Issue[] = [];
      const decoded = walk('decode', b.decode(r), [], issues);
      if (issues.length > 0) throw new LsError('LS_DECODE_FAILED', `stored value does not match the column schema: ${formatIssues(issues)}`);
      return decoded;
    };
  } else if (schema !== undefined) {
    decode = (r) => validateSync(schema, b.decode(r), 'stored value for the column schema', 'LS_DECODE_FAILED');
  }
  return Object.freeze({
    sqlType: b.sqlType,
    encode: (v: unknown): SqlValue => {
      if (v === null) {
        if (nullable) return null;
        throw new LsError('LS_INVALID_QUERY', 'null is not allowed: the column is not nullable (add nullable: true to allow it)');
      }
      return encode(v);
    },
    decode: (r: SqlValue): unknown => {
      if (r === null) {
        if (nullable) return null;
        throw new LsError('LS_DECODE_FAILED', 'found NULL in a column that is not nullable');
      }
      return decode(r);
    },
  });
}
