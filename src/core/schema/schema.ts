/**
 * The `Schema` namespace, as a module: import it with `import * as Schema` (src/core/schema.ts
 * does) so that values (`Schema.String`) and types (`Schema.Type<typeof S>`) share one name.
 * Names follow Effect Schema, which LiveStore's docs use, so schema code ports unchanged.
 */
import type { InferOutput, StandardSchemaV1 } from '../standard-schema.ts';
import type { EncodedOf } from './codec.ts';

export {
  stringCodec as String,
  numberCodec as Number,
  intCodec as Int,
  booleanCodec as Boolean,
  nullCodec as Null,
  unknownCodec as Unknown,
  jsonCodec as JSON,
  literal as Literal,
  literals as Literals,
  dateCodec as Date,
  dateCodec as DateFromString,
  dateFromNumberCodec as DateFromNumber,
  dateFromNumberCodec as DateFromMillis,
} from './primitives.ts';
export { struct as Struct, optional, partial } from './struct.ts';
export { arrayOf as Array, recordOf as Record, union as Union, nullOr as NullOr, nullOr as nullable } from './collections.ts';
export { isCodec as isSchema } from './codec.ts';

export type { Codec as Schema, Codec, AnyCodec as Any } from './codec.ts';
export type { JsonValue } from './json-value.ts';

/** The app-side type of a schema: `type Todo = Schema.Type<typeof Todo>`. */
export type Type<S extends StandardSchemaV1> = InferOutput<S>;
/** The JSON-safe encoded type of a schema. */
export type Encoded<S extends StandardSchemaV1> = EncodedOf<S>;
