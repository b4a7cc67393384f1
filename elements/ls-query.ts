/**
 * `<ls-query>`: a live query from the nearest `<ls-store>`, rendered into the light DOM (so
 * page CSS applies; it is `display: contents` by default).
 *
 *   <ls-query sql="SELECT * FROM todos WHERE completed = ?" params="[0]">
 *     <template><li data-id="{{row.id}}">{{row.text}}</li></template>
 *   </ls-query>
 *   el.query = visibleTodos$; el.render = (todo) => html`<li>${todo.text}</li>`
 *
 * The query is the `query` property (queryDb, computed, a query builder…) or else `sql` plus
 * `params` (a JSON array or object of bind values). Rows render with the `render` property
 * (a Lit template per row), else with a child `<template>` (text and attribute bindings only,
 * see template-bindings.ts), else not at all: frameworks read `rows` and listen to
 * `ls-change` (detail: { rows }, fired after each new result is rendered). Array results are
 * keyed by the `key` column (default 'id'; the index when a row has none), so an unchanged
 * row keeps its DOM nodes; any other result renders once. `state` (reflected): idle,
 * loading, ready or error (`error`, and an `ls-error` event).
 */
import { ReactiveElement, nothing, render as renderLit, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LsError } from '../src/index.ts';
import type { Store } from '../src/index.ts';
import { QueryController, type QueryInput, type QueryStatus } from './query-controller.ts';
import { compileTemplate } from './template-bindings.ts';
import { TemplateList, type KeyOf } from './template-list.ts';
import { dispatchLsError } from './element-error.ts';

export type RowRender = (row: never, index: number) => unknown;

declare global {
  interface HTMLElementTagNameMap {
    'ls-query': LsQuery;
  }
  interface HTMLElementEventMap {
    'ls-change': CustomEvent<{ readonly rows: unknown }>;
  }
}

export class LsQuery extends ReactiveElement {
  static override properties = {
    sql: {},
    params: {},
    key: {},
    query: { attribute: false },
    render: { attribute: false },
    state: { reflect: true },
  };

  declare sql: string | undefined;
  /** Bind values: a JSON string (the attribute) or an array/object (the property). */
  declare params: string | readonly unknown[] | Readonly<Record<string, unknown>> | undefined;
  /** The column that identifies a row, or a function of (row, index). Default 'id'. */
  declare key: string | KeyOf;
  declare query: QueryInput | undefined;
  declare render: RowRender | undefined;
  declare state: QueryStatus;

  readonly #controller = new QueryController<unknown>(this, undefined, {
    onChange: () => {
      this.#changed = true;
    },
    onError: (error) => dispatchLsError(this, error),
  });
  #changed = false;
  /** The declarative template in use; `list` is undefined when it did not compile. */
  #list: { template: HTMLTemplateElement; list: TemplateList | undefined } | undefined;

  constructor() {
    super();
    this.key = 'id';
    this.state = 'idle';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** The latest result: rows for row queries, else the value (a count, a document…). */
  get rows(): unknown {
    return this.#controller.value;
  }
  get error(): LsError | undefined {
    return this.#controller.error;
  }
  /** A store to use instead of the nearest `<ls-store>`'s. */
  get store(): Store | undefined {
    return this.#controller.store;
  }
  set store(store: Store | undefined) {
    this.#controller.store = store;
  }

  /** The row rendered (by the declarative template) into the nodes containing `node`. */
  rowFor(node: Node | null): unknown {
    return this.#list?.list?.rowFor(node);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('query') || changed.has('sql') || changed.has('params')) {
      try {
        this.#controller.query = this.#queryInput();
      } catch (err) {
        this.#controller.fail(err as LsError);
      }
    }
    this.state = this.#controller.status;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    const value = this.#controller.value;
    const rows: readonly unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
    const keyOf = this.#keyOf(Array.isArray(value));
    if (this.render !== undefined) {
      const render = this.render as (row: unknown, index: number) => unknown;
      renderLit(rows.length === 0 ? nothing : repeat(rows, keyOf, render), this, { host: this });
      return;
    }
    const template = this.querySelector(':scope > template');
    if (this.#list !== undefined && this.#list.template !== template) {
      this.#list.list?.remove();
      this.#list = undefined;
    }
    if (!(template instanceof HTMLTemplateElement)) return;
    if (this.#list === undefined) {
      try {
        this.#list = { template, list: new TemplateList(compileTemplate(template), this) };
      } catch (err) {
        this.#list = { template, list: undefined };
        queueMicrotask(() => this.#controller.fail(err as LsError)); // not during this update
      }
    }
    this.#list.list?.update(rows, keyOf);
  }

  protected override updated(): void {
    if (!this.#changed) return;
    this.#changed = false;
    this.dispatchEvent(new CustomEvent('ls-change', { detail: { rows: this.#controller.value }, bubbles: true, composed: true }));
  }

  #queryInput(): QueryInput | undefined {
    if (this.query !== undefined) return this.query;
    if (this.sql === undefined || this.sql.trim() === '') return undefined;
    let params: unknown = this.params ?? [];
    if (typeof params === 'string') {
      try {
        params = params.trim() === '' ? [] : JSON.parse(params);
      } catch (err) {
        throw new LsError('LS_INVALID_ARGUMENT', `<ls-query params>: not valid JSON (${(err as Error).message}); write a JSON array like params='["x", 1]' or an object.`, { cause: err });
      }
    }
    if (typeof params !== 'object' || params === null) {
      throw new LsError('LS_INVALID_ARGUMENT', '<ls-query params> must be a JSON array (for ? placeholders) or object (for $name placeholders).');
    }
    return { query: this.sql, bindValues: params as readonly never[] };
  }

  #keyOf(isList: boolean): KeyOf {
    if (!isList) return () => 'value';
    const key = this.key;
    if (typeof key === 'function') return key;
    return (row, index) => {
      const value = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[key] : undefined;
      return value === undefined || value === null ? index : value;
    };
  }
}
