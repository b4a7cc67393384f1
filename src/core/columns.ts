/**
 * Column definitions for `State.SQLite.table`, with LiveStore's names and options:
 * `text`, `integer`, `real`, `blob`, `boolean`, `json`, `datetime`, `datetimeInteger`, each
 * taking `{ primaryKey?, nullable?, default?, autoIncrement?, schema? }`.
 *
 * The option object's literal type decides the column's app type: `nullable: true` adds
 * `| null`, a `schema` replaces the base type with the schema's type (`text({ schema:
 * Schema.Literal('a', 'b') })` is `'a' | 'b'`), and a column is optional on insert when it is
 * nullable, has a default, or auto-increments. `default` is a plain JS value (encoded like any
 * other value), checked against the column type at compile time.
 */
import { LsError } from './errors.ts';
import type { InferOutput, StandardSchemaV1 } from './standard-schema.ts';
import type { SqlValue } from './sql-value.ts';
import { isStandardSchema, type Codec } from './schema/codec.ts';
import type { JsonValue } from './schema/json-value.ts';
import { kindTakesSchema, sqlCodecFor, type ColumnKind, type SqliteColumnType } from './column-codecs.ts';

export type { ColumnKind, SqliteColumnType } from './column-codecs.ts';

export interface ColumnDef<T = unknown, TInsertOptional extends boolean = boolean> {
  readonly _tag: 'column';
  readonly kind: ColumnKind;
  readonly sqlType: SqliteColumnType;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  /** The default app value (meaningful when `hasDefault`). */
  readonly default: T | undefined;
  readonly schema: StandardSchemaV1 | undefined;
  readonly insertOptional: TInsertOptional;
  /** App value → SQLite value; throws LS_INVALID_QUERY. */
  encode(value: T): SqlValue;
  /** SQLite value → app value; throws LS_DECODE_FAILED. */
  decode(raw: SqlValue): T;
  /** Type carrier only, never present at runtime. */
  readonly Type: T;
}

export type AnyColumnDef = ColumnDef<unknown, boolean>;

export interface ColumnOptions {
  readonly primaryKey?: boolean;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly autoIncrement?: boolean;
}
export interface ColumnOptionsWithSchema extends ColumnOptions {
  readonly schema?: StandardSchemaV1;
}

type BaseType<O, B> = O extends { readonly schema: infer S extends StandardSchemaV1 } ? InferOutput<S> : B;
/** The app type of a column built with options `O` over base type `B`. */
export type ColumnValueOf<O, B> = O extends { readonly nullable: true } ? BaseType<O, B> | null : BaseType<O, B>;
type InsertOptionalOf<O> = O extends { readonly nullable: true }
  ? true
  : O extends { readonly default: unknown }
    ? true
    : O extends { readonly autoIncrement: true }
      ? true
      : false;

/** Checks `default` against the column's type (inference takes `O` from the argument first). */
type DefaultCheck<O, B> = { readonly default?: ColumnValueOf<O, B> };
/** A column schema must encode to the column's SQLite type. */
type SchemaCheck<E> = { readonly schema?: Codec<unknown, E> | StandardSchemaV1<E, unknown> };

type Column<O, B> = ColumnDef<ColumnValueOf<O, B>, InsertOptionalOf<O>>;

function makeColumn(kind: ColumnKind, options: ColumnOptionsWithSchema | undefined): AnyColumnDef {
  const o = options ?? {};
  if (typeof o !== 'object' || o === null) throw new LsError('LS_INVALID_SCHEMA', `State.SQLite.${kind}(options) takes an options object.`);
  const schema = (o as ColumnOptionsWithSchema).schema;
  if (schema !== undefined && (!kindTakesSchema(kind) || !isStandardSchema(schema))) {
    throw new LsError(
      'LS_INVALID_SCHEMA',
      kindTakesSchema(kind)
        ? `State.SQLite.${kind}({ schema }) needs a Standard Schema (Schema.* or zod, valibot…).`
        : `State.SQLite.${kind}() has a fixed type and takes no schema; use text/integer/json with a schema instead.`,
    );
  }
  const nullable = o.nullable === true;
  const primaryKey = o.primaryKey === true;
  const autoIncrement = o.autoIncrement === true;
  if (primaryKey && nullable) throw new LsError('LS_INVALID_SCHEMA', `A ${kind} primary key column cannot be nullable; remove nullable: true.`);
  if (autoIncrement && !(kind === 'integer' && primaryKey)) {
    throw new LsError('LS_INVALID_SCHEMA', 'autoIncrement needs an integer primary key: State.SQLite.integer({ primaryKey: true, autoIncrement: true }).');
  }
  const hasDefault = Object.prototype.hasOwnProperty.call(o, 'default') && o.default !== undefined;
  const codec = sqlCodecFor(kind, schema, nullable);
  const column = {
    _tag: 'column' as const,
    kind,
    sqlType: codec.sqlType,
    primaryKey,
    autoIncrement,
    nullable,
    hasDefault,
    default: hasDefault ? o.default : undefined,
    schema,
    insertOptional: nullable || hasDefault || autoIncrement,
    encode: codec.encode,
    decode: codec.decode,
  };
  return Object.freeze(column) as unknown as AnyColumnDef;
}

export function text<const O extends ColumnOptionsWithSchema = {}>(options?: O & DefaultCheck<O, string> & SchemaCheck<string>): Column<O, string> {
  return makeColumn('text', options) as Column<O, string>;
}
export function integer<const O extends ColumnOptionsWithSchema = {}>(options?: O & DefaultCheck<O, number> & SchemaCheck<number>): Column<O, number> {
  return makeColumn('integer', options) as Column<O, number>;
}
export function real<const O extends ColumnOptionsWithSchema = {}>(options?: O & DefaultCheck<O, number> & SchemaCheck<number>): Column<O, number> {
  return makeColumn('real', options) as Column<O, number>;
}
export function blob<const O extends ColumnOptionsWithSchema = {}>(options?: O & DefaultCheck<O, Uint8Array> & SchemaCheck<Uint8Array>): Column<O, Uint8Array> {
  return makeColumn('blob', options) as Column<O, Uint8Array>;
}
/** JSON text; the app type is the schema's type, or `unknown` without a schema. */
export function json<const O extends ColumnOptionsWithSchema = {}>(options?: O & DefaultCheck<O, unknown>): Column<O, unknown> {
  return makeColumn('json', options) as Column<O, unknown>;
}
export function boolean<const O extends ColumnOptions = {}>(options?: O & DefaultCheck<O, boolean>): Column<O, boolean> {
  return makeColumn('boolean', options) as Column<O, boolean>;
}
/** A Date stored as ISO-8601 text (sorts and compares correctly as text). */
export function datetime<const O extends ColumnOptions = {}>(options?: O & DefaultCheck<O, Date>): Column<O, Date> {
  return makeColumn('datetime', options) as Column<O, Date>;
}
/** A Date stored as epoch milliseconds. */
export function datetimeInteger<const O extends ColumnOptions = {}>(options?: O & DefaultCheck<O, Date>): Column<O, Date> {
  return makeColumn('datetimeInteger', options) as Column<O, Date>;
}

export function isColumnDef(value: unknown): value is AnyColumnDef {
  return typeof value === 'object' && value !== null && (value as { _tag?: unknown })._tag === 'column';
}

export type { JsonValue };
