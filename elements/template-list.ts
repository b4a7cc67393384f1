/**
 * Renders rows with a compiled declarative template (template-bindings.ts), keyed: each key
 * keeps its instance (the same DOM nodes) across updates; a changed row only rewrites the text
 * and attributes whose value changed; new keys get a clone, gone keys are removed, and moved
 * ones are moved (never re-created). The list owns the nodes between two comment markers.
 *
 * Values become strings as text (null/undefined → '', Date → ISO, objects → JSON); they are
 * written with Text.data and setAttribute only, never parsed as HTML.
 */
import { URL_ATTRIBUTES, type AttrPart, type BindingSpec, type CompiledTemplate, type Expr } from './template-bindings.ts';

export type KeyOf = (row: unknown, index: number) => unknown;

const BOOLEAN_PROPERTIES = new Set(['checked', 'selected', 'disabled', 'open', 'hidden']);
const UNSAFE_URL = /^(?:javascript|vbscript|data):/;

function evaluate(expr: Expr, row: unknown, index: number): unknown {
  if (expr.kind === 'index') return index;
  let value: unknown = row;
  for (const key of expr.path) {
    // own properties only: `{{row.constructor}}` must not reach into prototypes
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** Browsers ignore control characters and whitespace in a scheme, so the check does too. */
export function safeUrl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return UNSAFE_URL.test(value.replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase()) ? 'about:invalid#ls-unsafe-url' : value;
}

type Apply = (row: unknown, index: number) => void;

function makeApply(spec: BindingSpec, target: Node): Apply {
  if (spec.kind === 'text') {
    const text = target as Text;
    return (row, index) => {
      const next = toText(evaluate(spec.expr, row, index));
      if (text.data !== next) text.data = next;
    };
  }
  const el = target as Element;
  if (spec.kind === 'bool') {
    const prop = BOOLEAN_PROPERTIES.has(spec.name) && spec.name in el ? spec.name : undefined;
    return (row, index) => {
      const on = Boolean(evaluate(spec.expr, row, index));
      el.toggleAttribute(spec.name, on);
      if (prop !== undefined && (el as unknown as Record<string, unknown>)[prop] !== on) (el as unknown as Record<string, unknown>)[prop] = on;
    };
  }
  const isUrl = URL_ATTRIBUTES.has(spec.name.toLowerCase());
  let last: string | undefined;
  return (row, index) => {
    const joined = spec.parts.map((p: AttrPart) => (typeof p === 'string' ? p : toText(evaluate(p, row, index)))).join('');
    const next = isUrl ? safeUrl(joined) : joined;
    if (next !== last) el.setAttribute(spec.name, next);
    last = next;
  };
}

class RowInstance {
  readonly nodes: readonly Node[];
  readonly #applies: readonly Apply[];
  #row: unknown = Symbol('unset');
  #index = -1;

  constructor(compiled: CompiledTemplate) {
    const fragment = compiled.fragment.cloneNode(true) as DocumentFragment;
    const targets = compiled.bindings.map((b) => b.node.reduce<Node>((n, i) => n.childNodes[i]!, fragment));
    this.#applies = compiled.bindings.map((b, i) => makeApply(b, targets[i]!));
    this.nodes = [...fragment.childNodes];
  }

  get row(): unknown {
    return this.#row;
  }

  set(row: unknown, index: number): void {
    if (row === this.#row && index === this.#index) return;
    this.#row = row;
    this.#index = index;
    for (const apply of this.#applies) apply(row, index);
  }
}

export class TemplateList {
  readonly #compiled: CompiledTemplate;
  readonly #start: Comment;
  readonly #end: Comment;
  #byKey = new Map<unknown, RowInstance>();
  readonly #owner = new WeakMap<Node, RowInstance>();

  /** Places the list's markers in `container` before `before` (or at the end). */
  constructor(compiled: CompiledTemplate, container: Node, before: Node | null = null) {
    this.#compiled = compiled;
    this.#start = container.ownerDocument!.createComment('ls-query');
    this.#end = container.ownerDocument!.createComment('/ls-query');
    container.insertBefore(this.#start, before);
    container.insertBefore(this.#end, before);
  }

  update(rows: readonly unknown[], keyOf: KeyOf): void {
    const parent = this.#end.parentNode!;
    const next = new Map<unknown, RowInstance>();
    const order: RowInstance[] = [];
    rows.forEach((row, index) => {
      let key = keyOf(row, index);
      // a repeated key gets its own instance rather than stealing the first one's nodes
      for (let n = 1; next.has(key); n++) key = `\u0000${String(keyOf(row, index))}\u0000${n}`;
      let instance = this.#byKey.get(key);
      if (instance === undefined) {
        instance = new RowInstance(this.#compiled);
        for (const node of instance.nodes) this.#owner.set(node, instance);
      }
      instance.set(row, index);
      next.set(key, instance);
      order.push(instance);
    });
    for (const [key, instance] of this.#byKey) if (next.get(key) !== instance) for (const node of instance.nodes) parent.removeChild(node);
    this.#byKey = next;
    let ref: Node | null = this.#start.nextSibling;
    for (const instance of order) {
      const first = instance.nodes[0];
      if (first === undefined) continue;
      if (first === ref) ref = instance.nodes[instance.nodes.length - 1]!.nextSibling;
      else for (const node of instance.nodes) parent.insertBefore(node, ref);
    }
  }

  /** The row whose rendered nodes contain `node`, for event delegation. */
  rowFor(node: Node | null): unknown {
    for (let n = node; n !== null; n = n.parentNode) {
      const instance = this.#owner.get(n);
      if (instance !== undefined) return instance.row;
    }
    return undefined;
  }

  /** Removes everything the list rendered, markers included. */
  remove(): void {
    for (const instance of this.#byKey.values()) for (const node of instance.nodes) node.parentNode?.removeChild(node);
    this.#byKey.clear();
    this.#start.remove();
    this.#end.remove();
  }
}
