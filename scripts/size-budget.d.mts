// Types of scripts/size-budget.mjs, for test/node/build.test.ts.
export interface SizeLimit {
  readonly raw: number;
  readonly gzip: number;
}
export interface SizeRow {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
  readonly limit: SizeLimit;
  /** Why the file fails its budget ('missing', 'gzip 81000 > 80000'); empty when it fits. */
  readonly over: readonly string[];
}
export const BUDGETS: Readonly<Record<string, SizeLimit>>;
export function measure(dir: string): SizeRow[];
