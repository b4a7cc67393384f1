/**
 * How the elements report failures: an `ls-error` event (bubbling, composed, cancelable) whose
 * detail carries the LsError and its stable code. Nobody listening (the event is not cancelled)
 * means the error would vanish, so it then goes to console.error.
 *
 * Errors are recognised by their `LS_*` code, not `instanceof`: a schema module can bring its
 * own copy of ls-elements, whose LsError is another class.
 */
import { LsError } from '../src/index.ts';
import type { LsErrorCode } from '../src/index.ts';

export interface LsErrorEventDetail {
  readonly error: LsError;
  readonly code: LsErrorCode;
}

declare global {
  interface HTMLElementEventMap {
    'ls-error': CustomEvent<LsErrorEventDetail>;
  }
}

function hasLsCode(err: unknown): err is LsError {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('LS_');
}

/** Keeps an LsError (of any copy) as it is; wraps anything else with `code`. */
export function toElementError(err: unknown, code: LsErrorCode, message: string): LsError {
  if (hasLsCode(err)) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new LsError(code, `${message}: ${why}`, { cause: err });
}

export function dispatchLsError(target: HTMLElement, error: LsError): void {
  const event = new CustomEvent<LsErrorEventDetail>('ls-error', { detail: { error, code: error.code }, bubbles: true, composed: true, cancelable: true });
  if (target.dispatchEvent(event)) console.error(`<${target.localName}>`, error);
}
