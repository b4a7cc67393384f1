/**
 * The event as it is stored in eventlogs and sent over the wire.
 *
 * - `id`: stable unique id (nanoid); it never changes, also not on rebase, so it deduplicates.
 * - `seqNum`: position in the store's global order, first event 1. `parentSeqNum` is the event
 *   before it (0 for the first). Pending local events carry provisional numbers (head + n) until the
 *   sync server confirms them; a rebase renumbers them.
 * - `clientId`: one per browser profile; `sessionId`: one per tab.
 * - `createdAt`: epoch milliseconds on the committing client.
 * - `args`: the encoded (JSON-safe) args, as the event schema's validation produced them.
 *
 * clientOnly events are never sent to the sync server: they are numbered in the local log but
 * take no part in the global order and are never pending against upstream.
 */
export interface LiveEvent {
  readonly id: string;
  readonly name: string;
  readonly args: unknown;
  readonly seqNum: number;
  readonly parentSeqNum: number;
  readonly clientId: string;
  readonly sessionId: string;
  readonly createdAt: number;
}

/** What the app hands to `store.commit(...)`: built by calling an event definition. */
export interface EventInput<Name extends string = string, Args = unknown> {
  readonly name: Name;
  readonly args: Args;
  /** Optional caller-chosen id (idempotent commits); otherwise a nanoid is generated. */
  readonly id?: string;
}
