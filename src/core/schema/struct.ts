/**
 * Struct: an object with known fields. `Schema.optional(s)` marks a field that may be missing
 * (or undefined); every other field is required. Unknown keys are dropped from the output, as
 * Effect Schema and zod do, so what is stored is exactly what the schema describes.
 *
 * Fields may be our codecs or any Standard Schema.
 */
import type { StandardSchemaV1 } from '../standard-schema.ts';
import type { Issue } from './issues.ts';
import { isPlainObject, makeCodec, typeIssue, walkOf, type Codec, type EncodedOf, type TypeOf, type Walk } from './codec.ts';

export interface OptionalField<S extends StandardSchemaV1 = StandardSchemaV1> {
  readonly _tag: 'optional';
  readonly schema: S;
}

export type StructField = StandardSchemaV1 | OptionalField;
export type StructFields = Readonly<Record<string, StructField>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type OptionalKeys<F> = { [K in keyof F]: F[K] extends OptionalField ? K : never }[keyof F];
type RequiredKeys<F> = Exclude<keyof F, OptionalKeys<F>>;
type FieldType<X> = X extends OptionalField<infer S> ? TypeOf<S> : X extends StandardSchemaV1 ? TypeOf<X> : never;
type FieldEncoded<X> = X extends OptionalField<infer S> ? EncodedOf<S> : X extends StandardSchemaV1 ? EncodedOf<X> : never;

export type StructType<F extends StructFields> = Simplify<
  { readonly [K in RequiredKeys<F>]: FieldType<F[K]> } & { readonly [K in OptionalKeys<F>]?: FieldType<F[K]> | undefined }
>;
export type StructEncoded<F extends StructFields> = Simplify<
  { readonly [K in RequiredKeys<F>]: FieldEncoded<F[K]> } & { readonly [K in OptionalKeys<F>]?: FieldEncoded<F[K]> | undefined }
>;

export type StructCodec<F extends StructFields> = Codec<StructType<F>, StructEncoded<F>> & { readonly fields: F };

/** Marks a Struct field as optional: `{ note: Schema.optional(Schema.String) }`. */
export function optional<S extends StandardSchemaV1>(schema: S): OptionalField<S> {
  return Object.freeze({ _tag: 'optional', schema });
}

export function isOptionalField(value: unknown): value is OptionalField {
  return typeof value === 'object' && value !== null && (value as { _tag?: unknown })._tag === 'optional';
}

export function struct<const F extends StructFields>(fields: F): StructCodec<F> {
  const entries = Object.entries(fields).map(([key, field]) => {
    const optionalField = isOptionalField(field);
    const walk: Walk = walkOf(optionalField ? field.schema : field);
    // A required field whose schema accepts undefined (Schema.Unknown) may be missing too.
    const acceptsMissing = optionalField || probeAcceptsUndefined(walk);
    return { key, walk, acceptsMissing };
  });
  const walk: Walk = (mode, value, path, issues) => {
    if (!isPlainObject(value)) return typeIssue('an object', value, path, issues);
    const out: Record<string, unknown> = {};
    for (const { key, walk: fieldWalk, acceptsMissing } of entries) {
      const fieldValue = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
      if (fieldValue === undefined) {
        if (!acceptsMissing) issues.push({ message: 'is required', path: [...path, key] });
        continue;
      }
      const result = fieldWalk(mode, fieldValue, [...path, key], issues);
      if (result !== undefined) out[key] = result;
    }
    return out;
  };
  return makeCodec<StructType<F>, StructEncoded<F>>('struct', 'an object', walk, { fields }) as StructCodec<F>;
}

function probeAcceptsUndefined(walk: Walk): boolean {
  const issues: Issue[] = [];
  walk('validate', undefined, [], issues);
  return issues.length === 0;
}

type PartialFields<F extends StructFields> = {
  readonly [K in keyof F]: F[K] extends OptionalField ? F[K] : F[K] extends StandardSchemaV1 ? OptionalField<F[K]> : never;
};

/** The same Struct with every field optional (client documents' partial `set`). */
export function partial<F extends StructFields>(schema: StructCodec<F>): StructCodec<PartialFields<F>> {
  const fields: Record<string, StructField> = {};
  for (const [key, field] of Object.entries(schema.fields)) fields[key] = isOptionalField(field) ? field : optional(field);
  return struct(fields as PartialFields<F>);
}
