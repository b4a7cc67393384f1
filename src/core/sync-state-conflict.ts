/**
 * The conflict hook of a rebase: LiveStore always re-applies every pending event on top of what
 * arrived upstream; we let the app decide per pending event first.
 *
 * - `upstream`: the foreign events that took the pending events' places upstream, in server order.
 * - `pending`: the pending events about to be re-applied on top, oldest first, still carrying their
 *   old provisional numbers.
 * - The hook answers one decision per pending event, in the same order: `{ keep: true }` (re-apply,
 *   the default: last writer wins by order), `{ drop: true }` (undo it for good; the app is told
 *   through the result's `dropped`), `{ replace: { name, args } }` (re-apply something else instead).
 * - A replacement is a new event with a NEW id derived from the old one (`abc` → `abc~r1`,
 *   `abc~r1` → `abc~r2`), so that every leader replaying the same rebase derives the same id and the
 *   server's dedupe-by-id keeps working; clientId, sessionId and createdAt stay the original's.
 *   Dropping or replacing is safe because a pending event is rebased only after a foreign event
 *   took its number upstream: no push still carrying its old number can be accepted any more.
 * - The hook runs inside the pure merge: it must be a pure, synchronous function. If it throws, or
 *   answers anything but one well-formed decision per pending event, or a replacement id collides,
 *   every pending event is kept and the failure is reported as `hookError`; a rebase never fails.
 */
import { LsError } from './errors.ts';
import type { LiveEvent } from './live-event.ts';

export type ConflictDecision =
  | { readonly keep: true }
  | { readonly drop: true }
  | { readonly replace: { readonly name: string; readonly args: unknown } };

export interface Conflict {
  readonly upstream: readonly LiveEvent[];
  readonly pending: readonly LiveEvent[];
}

export type OnConflict = (conflict: Conflict) => readonly ConflictDecision[];

export interface Replacement {
  readonly original: LiveEvent;
  readonly replacement: LiveEvent;
}

export interface ConflictResolution {
  /** What to re-apply, oldest first, still with the old numbers (the caller renumbers). */
  readonly kept: readonly LiveEvent[];
  readonly dropped: readonly LiveEvent[];
  readonly replaced: readonly Replacement[];
  readonly hookError?: LsError;
}

const REPLACEMENT_SUFFIX = /^(.*)~r(\d+)$/;

/** The id of the event that replaces event `id`: deterministic, so dedupe by id survives replays. */
export function replacementId(id: string): string {
  const m = REPLACEMENT_SUFFIX.exec(id);
  if (m === null) return `${id}~r1`;
  return `${m[1] ?? ''}~r${Number(m[2]) + 1}`;
}

/**
 * Asks `onConflict` about `pending` and applies its answer. `takenIds` are ids a replacement must
 * not reuse (the upstream events of this rebase); pending ids are checked here.
 */
export function resolveConflicts(
  upstream: readonly LiveEvent[],
  pending: readonly LiveEvent[],
  onConflict: OnConflict | undefined,
  takenIds: ReadonlySet<string>,
): ConflictResolution {
  const keepAll = (hookError?: LsError): ConflictResolution =>
    hookError === undefined ? { kept: pending, dropped: [], replaced: [] } : { kept: pending, dropped: [], replaced: [], hookError };
  if (onConflict === undefined || pending.length === 0 || upstream.length === 0) return keepAll();

  let decisions: unknown;
  try {
    // Copies: the hook must not be able to reach into the machine's state.
    decisions = onConflict({ upstream: upstream.slice(), pending: pending.slice() });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return keepAll(new LsError('LS_INVALID_ARGUMENT',
      `onConflict threw (${why}); all ${pending.length} pending events were kept. Make the hook a pure function that never throws.`,
      { cause: err }));
  }
  if (!Array.isArray(decisions) || decisions.length !== pending.length) {
    const got = Array.isArray(decisions) ? `${decisions.length} decisions` : typeof decisions;
    return keepAll(new LsError('LS_INVALID_ARGUMENT',
      `onConflict returned ${got} for ${pending.length} pending events; all were kept. Return one decision per pending event, in order.`,
      { details: { expected: pending.length } }));
  }

  const kept: LiveEvent[] = [];
  const dropped: LiveEvent[] = [];
  const replaced: Replacement[] = [];
  const ids = new Set<string>([...takenIds, ...pending.map((e) => e.id)]);
  for (let i = 0; i < pending.length; i++) {
    const event = pending[i] as LiveEvent;
    const decision: unknown = decisions[i];
    const kind = decisionKind(decision);
    if (kind === 'keep') kept.push(event);
    else if (kind === 'drop') dropped.push(event);
    else if (kind === 'replace') {
      const { name, args } = (decision as { replace: { name: string; args: unknown } }).replace;
      const id = replacementId(event.id);
      if (ids.has(id)) {
        return keepAll(new LsError('LS_INVALID_ARGUMENT',
          `the replacement id ${id} for event ${event.id} is already taken; all pending events were kept. Do not choose event ids ending in ~r<n>.`,
          { details: { id } }));
      }
      ids.add(id);
      const replacement: LiveEvent = { ...event, id, name, args };
      kept.push(replacement);
      replaced.push({ original: event, replacement });
    } else {
      return keepAll(new LsError('LS_INVALID_ARGUMENT',
        `onConflict decision ${i} is not { keep: true }, { drop: true } or { replace: { name, args } }; all pending events were kept.`,
        { details: { index: i } }));
    }
  }
  return { kept, dropped, replaced };
}

function decisionKind(d: unknown): 'keep' | 'drop' | 'replace' | undefined {
  if (typeof d !== 'object' || d === null) return undefined;
  const o = d as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return undefined;
  if (o['keep'] === true) return 'keep';
  if (o['drop'] === true) return 'drop';
  const r = o['replace'];
  if (typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string' && 'args' in r) return 'replace';
  return undefined;
}
