/**
 * Entry of our `Schema` module: `Schema.String`, `Schema.Struct({...})`, `Schema.Type<typeof S>`
 * (see src/core/schema/schema.ts for the list), plus the helpers the store uses to run any
 * Standard Schema synchronously.
 */
export * as Schema from './schema/schema.ts';
export { validateSync } from './schema/validate-sync.ts';
export { isCodec, isStandardSchema } from './schema/codec.ts';
export type { Codec, AnyCodec, TypeOf, EncodedOf } from './schema/codec.ts';
export type { JsonValue } from './schema/json-value.ts';
export { isJsonValue } from './schema/json-value.ts';
