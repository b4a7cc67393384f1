/**
 * Validation issues: what a schema reports when a value does not fit, with the path to the
 * offending part (`items[2].name`). Every schema walk collects issues instead of throwing, so
 * one call reports all problems at once; callers turn the list into one LsError message.
 */
import type { StandardIssue } from '../standard-schema.ts';

export type IssuePath = readonly PropertyKey[];

export interface Issue {
  readonly message: string;
  readonly path: IssuePath;
}

/** Standard Schema paths may hold `{ key }` segments; we keep plain keys only. */
export function normalizePath(path: StandardIssue['path']): PropertyKey[] {
  if (path === undefined) return [];
  return path.map((segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment));
}

/** `items[2].name`, or '' for the root. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${segment.toString()}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatIssue(issue: Issue): string {
  const where = formatPath(issue.path);
  return where === '' ? issue.message : `at ${where}: ${issue.message}`;
}

export function formatIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 10).map(formatIssue);
  if (issues.length > 10) shown.push(`and ${issues.length - 10} more`);
  return shown.join('; ');
}

/** A short description of a value for messages: `number 5`, `string "ab"`, `array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'invalid Date' : 'Date';
  if (value instanceof Uint8Array) return 'Uint8Array';
  switch (typeof value) {
    case 'string': {
      const text = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `string ${JSON.stringify(text)}`;
    }
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'symbol':
      return 'symbol';
    case 'function':
      return 'function';
    default:
      return 'object';
  }
}

/** The issues as plain data for `LsError.details` (paths as strings, so they survive the wire). */
export function issuesAsDetails(issues: readonly Issue[]): { path: string; message: string }[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
