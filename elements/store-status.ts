/**
 * A store's status as the elements show it: where the data lives (`storage`, from
 * `store.storage`) and how sync stands (`sync`). One place reads it, so `<ls-store>.status` and
 * `<ls-sync-status>` agree.
 *
 * Sync status: the Store's `syncStatus` and `subscribeSyncStatus(listener) → unsubscribe`. A
 * store without a sync URL reports the phase `disabled`, shown as "local only", never a made-up
 * "online". The check is by shape, so a store-like object without them also reads as local.
 */
import type { Store, SyncPhase, SyncStatus } from '../src/index.ts';

export type { SyncPhase, SyncStatus };
export type StorageKind = Store['storage']['storage'];

export interface StoreStatus {
  readonly storage: StorageKind;
  /** Why the storage is what it is (e.g. no OPFS in private browsing). */
  readonly storageNote?: string;
  readonly isLeaderTab: boolean;
  readonly sync: SyncStatus;
}

interface SyncingStore {
  readonly syncStatus: SyncStatus;
  subscribeSyncStatus(listener: (status: SyncStatus) => void): () => void;
}

const LOCAL_ONLY: SyncStatus = Object.freeze({ phase: 'disabled', online: false, pending: 0, upstreamHead: 0, attempt: 0 });

function isSyncingStore(store: Store): store is Store & SyncingStore {
  const s = store as Partial<SyncingStore>;
  return typeof s.subscribeSyncStatus === 'function' && typeof s.syncStatus === 'object' && s.syncStatus !== null;
}

export function readStoreStatus(store: Store): StoreStatus {
  const { storage, storageNote, isLeaderTab } = store.storage;
  const sync = isSyncingStore(store) ? store.syncStatus : LOCAL_ONLY;
  return { storage, isLeaderTab, sync, ...(storageNote === undefined ? {} : { storageNote }) };
}

/** Calls `listener` whenever the store's sync status changes; a store without sync never calls. */
export function subscribeStoreStatus(store: Store, listener: (status: StoreStatus) => void): () => void {
  if (!isSyncingStore(store)) return () => {};
  return store.subscribeSyncStatus(() => listener(readStoreStatus(store)));
}
