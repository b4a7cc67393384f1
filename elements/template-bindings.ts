/**
 * Compiles a declarative `<template>` (the child of `<ls-query>`) into a prepared fragment plus
 * its bindings, for pages without a build step:
 *
 *   <template><li data-id="{{row.id}}" ?data-done="{{row.completed}}">{{row.text}}</li></template>
 *
 * Terms: an *expression* is `{{path}}`: `row`, `row.a.b` (or `a.b`, same thing) or `index`; no
 * code runs. A *text binding* becomes its own Text node whose `data` is set; an *attribute
 * binding* sets the attribute with setAttribute (`?name` toggles a boolean attribute, and the
 * matching property for checked/selected/disabled/open/hidden). Neither path ever parses
 * HTML, so data like `<img src=x onerror=…>` is shown as text.
 *
 * Refused when compiling (LS_INVALID_ARGUMENT), because data there would run as code: bindings
 * in `on*` attributes, in `srcdoc`, and in or on `<script>`, `<style>`, `<base>`, `<meta>`, `<link>`,
 * `<object>`, `<embed>`. URL attributes (href, src,
 * action, …) whose value starts with javascript:, vbscript: or data: get `about:invalid`.
 */
import { LsError } from '../src/index.ts';

export type Expr = { readonly kind: 'index' } | { readonly kind: 'path'; readonly path: readonly string[] };
export type AttrPart = string | Expr;

export type BindingSpec =
  | { readonly kind: 'text'; readonly node: readonly number[]; readonly expr: Expr }
  | { readonly kind: 'attr'; readonly node: readonly number[]; readonly name: string; readonly parts: readonly AttrPart[] }
  | { readonly kind: 'bool'; readonly node: readonly number[]; readonly name: string; readonly expr: Expr };

export interface CompiledTemplate {
  /** Clone this for each row; binding targets are found by their child-index paths. */
  readonly fragment: DocumentFragment;
  readonly bindings: readonly BindingSpec[];
}

const EXPR = /\{\{([^{}]*)\}\}/g;
const PATH = /^(?:[A-Za-z_$][\w$]*|\d+)(?:\.(?:[A-Za-z_$][\w$]*|\d+))*$/;
// Elements whose text or attributes load or run code, or change how the page resolves URLs.
const NO_BIND_ELEMENTS = new Set(['script', 'style', 'base', 'meta', 'link', 'object', 'embed']);
export const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'cite', 'background', 'ping', 'data', 'codebase', 'manifest', 'srcset']);

function refuse(message: string): LsError {
  return new LsError('LS_INVALID_ARGUMENT', `<ls-query> template: ${message}`);
}

function parseExpr(source: string): Expr {
  const text = source.trim();
  if (text === 'index') return { kind: 'index' };
  if (!PATH.test(text)) throw refuse(`{{${source}}} is not a field path; write {{row.field}}, {{row.a.b}} or {{index}} (no code runs in templates).`);
  const path = text.split('.');
  return { kind: 'path', path: path[0] === 'row' ? path.slice(1) : path };
}

/** Splits "a {{x}} b" into ['a ', expr, ' b']; undefined when there is no binding. */
function splitParts(text: string): AttrPart[] | undefined {
  if (!text.includes('{{')) return undefined;
  const parts: AttrPart[] = [];
  let last = 0;
  for (const m of text.matchAll(EXPR)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(parseExpr(m[1] ?? ''));
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts.some((p) => typeof p !== 'string') ? parts : undefined;
}

function pathOf(node: Node, root: Node): number[] {
  const path: number[] = [];
  for (let n = node; n !== root; n = n.parentNode!) path.unshift(Array.prototype.indexOf.call(n.parentNode!.childNodes, n));
  return path;
}

export function compileTemplate(template: HTMLTemplateElement): CompiledTemplate {
  const fragment = template.content.cloneNode(true) as DocumentFragment;
  for (const n of [...fragment.childNodes]) if (n.nodeType === Node.TEXT_NODE && n.textContent?.trim() === '') n.remove();
  const found: { node: Node; make: (path: number[]) => BindingSpec }[] = [];
  const walker = fragment.ownerDocument.createTreeWalker(fragment, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    if (n instanceof Element) {
      for (const attr of [...n.attributes]) {
        const parts = splitParts(attr.value);
        if (parts === undefined) continue;
        if (NO_BIND_ELEMENTS.has(n.localName)) throw refuse(`no bindings on <${n.localName}>: data there could load or run code.`);
        const bool = attr.name.startsWith('?');
        const name = bool ? attr.name.slice(1) : attr.name;
        if (/^on/i.test(name) || name.toLowerCase() === 'srcdoc') throw refuse(`binding data into "${attr.name}" would run it as code; use an event listener on <ls-query> (see rowFor) instead.`);
        n.removeAttribute(attr.name);
        if (bool) {
          const expr = parts.length === 1 ? parts[0] : undefined;
          if (expr === undefined || typeof expr === 'string') throw refuse(`"${attr.name}" must be exactly one {{…}} expression.`);
          found.push({ node: n, make: (node) => ({ kind: 'bool', node, name, expr }) });
        } else {
          found.push({ node: n, make: (node) => ({ kind: 'attr', node, name, parts }) });
        }
      }
    } else if (n instanceof Text && n.data.includes('{{')) {
      texts.push(n);
    }
  }
  for (const text of texts) {
    const parts = splitParts(text.data);
    if (parts === undefined) continue;
    const parent = text.parentNode;
    if (parent instanceof Element && NO_BIND_ELEMENTS.has(parent.localName)) throw refuse(`no bindings inside <${parent.localName}>: data there would run as code.`);
    for (const part of parts) {
      const node = fragment.ownerDocument.createTextNode(typeof part === 'string' ? part : '');
      parent!.insertBefore(node, text);
      if (typeof part !== 'string') found.push({ node, make: (path) => ({ kind: 'text', node: path, expr: part }) });
    }
    text.remove();
  }
  // Paths are taken after all text splitting, so indices match what a clone will have.
  return { fragment, bindings: found.map((f) => f.make(pathOf(f.node, fragment))) };
}
