/**
 * `validateSync`: run any Standard Schema synchronously and get its output, or an LsError whose
 * message lists every issue with its path. The one place where foreign schemas are validated,
 * so the error shape is the same for zod, valibot and our own codecs.
 */
import { LsError, type LsErrorCode } from '../errors.ts';
import type { InferOutput, StandardSchemaV1 } from '../standard-schema.ts';
import { isStandardSchema, runForeignValidate } from './codec.ts';
import { formatIssues, issuesAsDetails, normalizePath, type Issue } from './issues.ts';

/**
 * Validates `value` against `schema`. `what` names the value in the message ("args of event
 * 'v1.TodoCreated'"). Throws `code` (default LS_INVALID_EVENT_ARGS) listing the issues, or
 * LS_INVALID_SCHEMA when the schema validates asynchronously (not supported).
 */
export function validateSync<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  what: string,
  code: LsErrorCode = 'LS_INVALID_EVENT_ARGS',
): InferOutput<S> {
  if (!isStandardSchema(schema)) {
    throw new LsError('LS_INVALID_SCHEMA', `The schema for ${what} is not a Standard Schema; use Schema.* or a library that implements standardschema.dev.`);
  }
  const result = runForeignValidate(schema, value);
  if (result.issues === undefined) return result.value as InferOutput<S>;
  const issues: Issue[] = result.issues.map((issue) => ({ message: issue.message, path: normalizePath(issue.path) }));
  throw new LsError(code, `Invalid ${what}: ${formatIssues(issues)}. Pass a value that matches the schema.`, {
    details: { issues: issuesAsDetails(issues) },
  });
}
