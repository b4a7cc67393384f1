/**
 * Registers `<ls-store>`, `<ls-query>` and `<ls-sync-status>` where custom elements exist (never in a worker), once:
 * a second copy of ls-elements on the page (classic script plus an ESM import) finds them
 * defined and leaves them. `<ls-store>` is defined first so that, when both upgrade
 * existing markup, queries find their store. A ContextRoot on the document replays context
 * requests of elements that connected before any `<ls-store>` was defined (say, a user's own
 * element defined earlier). A zero-specificity rule makes both elements `display: contents`,
 * so `<ul><ls-query>` lays its `<li>`s out as the list's children; any page rule overrides it.
 */
import { ContextRoot } from '@lit/context';
import { LsQuery } from './ls-query.ts';
import { LsStore } from './ls-store.ts';
import { LsSyncStatus } from './ls-sync-status.ts';

const ROOT = Symbol.for('ls-elements/context-root');

export function defineElements(): void {
  if (typeof customElements === 'undefined' || typeof document === 'undefined') return;
  const doc = document as Document & { [ROOT]?: ContextRoot };
  if (doc[ROOT] === undefined) {
    doc[ROOT] = new ContextRoot();
    doc[ROOT].attach(doc.documentElement);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(':where(ls-store, ls-query) { display: contents; }');
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
  if (customElements.get('ls-store') === undefined) customElements.define('ls-store', LsStore);
  if (customElements.get('ls-query') === undefined) customElements.define('ls-query', LsQuery);
  if (customElements.get('ls-sync-status') === undefined) customElements.define('ls-sync-status', LsSyncStatus);
}
