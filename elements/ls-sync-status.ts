/**
 * `<ls-sync-status>`: shows how the nearest `<ls-store>`'s store stands: the sync phase
 * (online, offline, connecting, …, or "local only" when the store does not sync), how many
 * events wait for the server, and where the data lives (OPFS or memory, with the reason as a
 * tooltip). Everything is text in a shadow root with parts (`sync`, `pending`, `storage`) for
 * styling; the attributes `phase`, `online`, `storage` and `pending` reflect the status for CSS.
 *
 *   <ls-store …><ls-sync-status></ls-sync-status> …</ls-store>
 *
 * It subscribes while connected and unsubscribes on disconnect; `status` holds the latest
 * StoreStatus (undefined without a store) and `ls-status` fires on each change.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import type { Store } from '../src/index.ts';
import { storeContext } from './store-context.ts';
import { readStoreStatus, subscribeStoreStatus, type StoreStatus, type SyncPhase } from './store-status.ts';

declare global {
  interface HTMLElementTagNameMap {
    'ls-sync-status': LsSyncStatus;
  }
  interface HTMLElementEventMap {
    'ls-status': CustomEvent<{ readonly status: StoreStatus | undefined }>;
  }
}

const PHASE_TEXT: Record<SyncPhase, string> = {
  disabled: 'local only',
  connecting: 'connecting',
  syncing: 'syncing',
  synced: 'online',
  offline: 'offline',
  stopped: 'sync stopped',
};

const STORAGE_TEXT = { opfs: 'saved in this browser', memory: 'in memory only' } as const;

export class LsSyncStatus extends LitElement {
  static override properties = {
    status: { attribute: false },
  };
  static override styles = css`
    :host { display: inline-flex; gap: 0.5em; align-items: baseline; }
    [part='pending'][hidden] { display: none; }
  `;

  /** The latest status; undefined while there is no open store. */
  declare status: StoreStatus | undefined;

  #explicitStore: Store | undefined;
  #contextStore: Store | undefined;
  #subscribed: Store | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.status = undefined;
    new ContextConsumer(this, {
      context: storeContext,
      subscribe: true,
      callback: (store) => {
        this.#contextStore = store;
        this.#sync();
      },
    });
  }

  /** A store to show instead of the nearest `<ls-store>`'s. */
  get store(): Store | undefined {
    return this.#explicitStore ?? this.#contextStore;
  }
  set store(store: Store | undefined) {
    this.#explicitStore = store;
    this.#sync();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#sync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#sync();
  }

  /** Follows (connected, store): one subscription at most, to the store in use. */
  #sync(): void {
    const store = this.isConnected && this.store !== undefined && !this.store.isShutdown ? this.store : undefined;
    if (store === this.#subscribed) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribed = store;
    if (store === undefined) {
      if (this.isConnected) this.#show(undefined);
      return;
    }
    this.#unsubscribe = subscribeStoreStatus(store, (status) => this.#show(status));
    this.#show(readStoreStatus(store));
  }

  #show(status: StoreStatus | undefined): void {
    if (status === this.status) return;
    this.status = status;
    this.dispatchEvent(new CustomEvent('ls-status', { detail: { status }, bubbles: true, composed: true }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('status')) return;
    const s = this.status;
    this.#reflect('phase', s?.sync.phase);
    this.#reflect('storage', s?.storage);
    this.#reflect('pending', s === undefined ? undefined : String(s.sync.pending));
    this.toggleAttribute('online', s?.sync.online === true);
  }

  #reflect(name: string, value: string | undefined): void {
    if (value === undefined) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  protected override render(): unknown {
    const s = this.status;
    if (s === undefined) return html`<span part="sync">no store</span>`;
    const { pending, lastError } = s.sync;
    return html`<span part="sync" title=${lastError?.message ?? nothing}>${PHASE_TEXT[s.sync.phase]}</span>
      <span part="pending" ?hidden=${pending === 0}>${pending} pending</span>
      <span part="storage" title=${s.storageNote ?? nothing}>${STORAGE_TEXT[s.storage]}</span>`;
  }
}
