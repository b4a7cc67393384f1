/**
 * Codec: the schema type of our `Schema` module. A codec knows three things about its values:
 *
 * - `Type`: the value as app code sees it (a `Date`, say);
 * - `Encoded`: the JSON-safe form stored in the eventlog and sent over the wire (an ISO string);
 * - checks that both forms must pass.
 *
 * `~standard.validate` checks an app value (Type → Type), so event args validate as the app
 * wrote them; `encode` turns a Type into its Encoded form and `decode` goes back (both validate).
 * All three are one `walk` over the value in a mode, collecting issues with paths.
 *
 * Foreign Standard Schemas (zod, valibot…) nested in our codecs are walked through their own
 * `validate` (sync only); they have no encode, so their values must already be JSON-safe.
 */
import { LsError } from '../errors.ts';
import type { InferInput, InferOutput, StandardResult, StandardSchemaProps, StandardSchemaV1 } from '../standard-schema.ts';
import { describeValue, formatIssues, issuesAsDetails, normalizePath, type Issue, type IssuePath } from './issues.ts';

export type WalkMode = 'validate' | 'encode' | 'decode';

/** One pass over a value; pushes issues (never throws for bad data) and returns the result. */
export type Walk = (mode: WalkMode, value: unknown, path: IssuePath, issues: Issue[]) => unknown;

export interface Codec<T, E = T> extends StandardSchemaV1<T, T> {
  readonly '~standard': StandardSchemaProps<T, T>;
  /** What kind of codec: 'string', 'struct', 'array', … */
  readonly kind: string;
  /** How messages name the expected value: 'string', "'a' | 'b'", 'Date', … */
  readonly expected: string;
  /** Type carrier only (`typeof S.Type`), never present at runtime. */
  readonly Type: T;
  /** Type carrier only (`typeof S.Encoded`), never present at runtime. */
  readonly Encoded: E;
  /** App value → JSON-safe value; throws LS_INVALID_ARGUMENT listing the issues. */
  encode(value: T): E;
  /** JSON-safe (or SQLite) value → app value; throws LS_DECODE_FAILED listing the issues. */
  decode(encoded: unknown): T;
  /** Whether an app value passes validation. */
  is(value: unknown): value is T;
  /** @internal the walk shared by validate, encode and decode. */
  readonly _walk: Walk;
}

/** Any codec; `Codec<string>` and friends are assignable to it. */
export type AnyCodec = Codec<unknown, unknown>;

/** The app-side type of any schema (ours or foreign). */
export type TypeOf<S extends StandardSchemaV1> = InferOutput<S>;

/** The encoded type: a codec's `Encoded`, a foreign schema's input. */
export type EncodedOf<S extends StandardSchemaV1> = S extends Codec<unknown, infer E> ? E : InferInput<S>;

export const VENDOR = 'ls-elements';

export function makeCodec<T, E>(kind: string, expected: string, walk: Walk, extra: Record<string, unknown> = {}): Codec<T, E> {
  const run = (mode: WalkMode, value: unknown): { value: unknown; issues: Issue[] } => {
    const issues: Issue[] = [];
    const out = walk(mode, value, [], issues);
    return { value: out, issues };
  };
  const codec = {
    ...extra,
    kind,
    expected,
    _walk: walk,
    '~standard': Object.freeze({
      version: 1 as const,
      vendor: VENDOR,
      validate: (value: unknown): StandardResult<T> => {
        const r = run('validate', value);
        return r.issues.length > 0 ? { issues: r.issues } : { value: r.value as T };
      },
    }),
    encode(value: T): E {
      const r = run('encode', value);
      if (r.issues.length > 0) {
        throw new LsError('LS_INVALID_ARGUMENT', `Cannot encode value as ${expected}: ${formatIssues(r.issues)}`, {
          details: { issues: issuesAsDetails(r.issues) },
        });
      }
      return r.value as E;
    },
    decode(encoded: unknown): T {
      const r = run('decode', encoded);
      if (r.issues.length > 0) {
        throw new LsError('LS_DECODE_FAILED', `Cannot decode value as ${expected}: ${formatIssues(r.issues)}`, {
          details: { issues: issuesAsDetails(r.issues) },
        });
      }
      return r.value as T;
    },
    is(value: unknown): value is T {
      return run('validate', value).issues.length === 0;
    },
  };
  return Object.freeze(codec) as unknown as Codec<T, E>;
}

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { version?: unknown; validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && props.version === 1 && typeof props.validate === 'function';
}

export function isCodec(value: unknown): value is AnyCodec {
  return isStandardSchema(value) && value['~standard'].vendor === VENDOR && typeof (value as { _walk?: unknown })._walk === 'function';
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs a foreign schema's validate synchronously, or throws LS_INVALID_SCHEMA if it is async. */
export function runForeignValidate(schema: StandardSchemaV1, value: unknown): StandardResult<unknown> {
  const result = schema['~standard'].validate(value);
  if (isPromiseLike(result)) {
    throw new LsError(
      'LS_INVALID_SCHEMA',
      `The ${schema['~standard'].vendor} schema validated asynchronously; ls-elements needs synchronous schemas ` +
        '(async refinements are not supported for event args, columns or queries). Remove the async check.',
    );
  }
  return result;
}

/** The walk of any schema: a codec's own, or an adapter over a foreign validate. */
export function walkOf(schema: StandardSchemaV1): Walk {
  if (isCodec(schema)) return schema._walk;
  return (mode, value, path, issues) => {
    const result = runForeignValidate(schema, value);
    if (result.issues !== undefined) {
      for (const issue of result.issues) issues.push({ message: issue.message, path: [...path, ...normalizePath(issue.path)] });
      return undefined;
    }
    // Foreign schemas cannot encode: the app value is kept as written (it must be JSON-safe).
    return mode === 'encode' ? value : result.value;
  };
}

/** A schema's `expected` description, for union messages. */
export function expectedOf(schema: StandardSchemaV1): string {
  return isCodec(schema) ? schema.expected : `${schema['~standard'].vendor} schema`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function typeIssue(expected: string, value: unknown, path: IssuePath, issues: Issue[]): undefined {
  issues.push({ message: `expected ${expected}, got ${describeValue(value)}`, path });
  return undefined;
}
