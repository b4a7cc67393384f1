/**
 * Turns the forms of `where` into conditions, all ANDed:
 *
 *   where({ completed: false, text: { op: 'LIKE', value: '%milk%' } })
 *   where('completed', false)          where('createdAt', '>', date)      where('id', 'IN', ids)
 *
 * Values are encoded by their column's type (booleans → 0/1, Dates → ISO text…) and always end
 * up as bind parameters. In the object form undefined values are skipped; null becomes
 * IS NULL (IS NOT NULL with '!='). An object `{ op, value }` with a known op is an operator
 * condition, never a json value.
 */
import type { WhereOp } from './query-builder-types.ts';
import { columnOf, encodeFor, invalidQuery, type Condition, type SqlOp, type TableShape } from './query-builder-ast.ts';
import { isPlainObject } from './schema/codec.ts';

const OPS: Readonly<Record<string, SqlOp>> = {
  '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  LIKE: 'LIKE', 'NOT LIKE': 'NOT LIKE', IN: 'IN', 'NOT IN': 'NOT IN',
};

function normalizeOp(table: TableShape, op: unknown): SqlOp {
  const key = typeof op === 'string' ? op.trim().replace(/\s+/g, ' ').toUpperCase() : '';
  const found = OPS[key];
  if (found === undefined) {
    throw invalidQuery(table, `${JSON.stringify(op) ?? String(op)} is not a where operator; use one of =, !=, <, <=, >, >=, LIKE, NOT LIKE, IN, NOT IN.`);
  }
  return found;
}

function isOpObject(value: unknown): value is { op: WhereOp; value: unknown } {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && keys.includes('op') && keys.includes('value') && typeof value.op === 'string' && OPS[value.op.trim().replace(/\s+/g, ' ').toUpperCase()] !== undefined;
}

export function condition(table: TableShape, column: string, rawOp: unknown, value: unknown): Condition {
  columnOf(table, column);
  const op = normalizeOp(table, rawOp);
  if (value === null) {
    if (op === '=') return { column, op: 'IS NULL', values: [] };
    if (op === '!=') return { column, op: 'IS NOT NULL', values: [] };
    throw invalidQuery(table, `null can only be compared with = or != (IS NULL / IS NOT NULL), not ${op}, for column "${column}".`);
  }
  if (value === undefined) throw invalidQuery(table, `where("${column}", …) got undefined; pass a value, or leave the condition out.`);
  if (op === 'IN' || op === 'NOT IN') {
    if (!Array.isArray(value)) throw invalidQuery(table, `${op} needs an array of values for column "${column}".`);
    return { column, op, values: value.map((v: unknown) => encodeFor(table, column, v)) };
  }
  if (op === 'LIKE' || op === 'NOT LIKE') {
    // The pattern is text whatever the column type, so it is bound as given.
    if (typeof value !== 'string') throw invalidQuery(table, `${op} needs a string pattern for column "${column}".`);
    return { column, op, values: [value] };
  }
  return { column, op, values: [encodeFor(table, column, value)] };
}

/** All conditions of one `where(...)` call. */
export function parseWhere(table: TableShape, args: readonly unknown[]): Condition[] {
  if (args.length === 1) {
    const params = args[0];
    if (!isPlainObject(params)) throw invalidQuery(table, 'where(…) takes an object like { id: "a" }, or (column, value), or (column, op, value).');
    const out: Condition[] = [];
    for (const [column, value] of Object.entries(params)) {
      if (value === undefined) continue;
      out.push(isOpObject(value) ? condition(table, column, value.op, value.value) : condition(table, column, '=', value));
    }
    return out;
  }
  if (args.length === 2) return [condition(table, String(args[0]), '=', args[1])];
  if (args.length === 3) return [condition(table, String(args[0]), args[1], args[2])];
  throw invalidQuery(table, `where(…) takes 1 to 3 arguments, got ${args.length}.`);
}
