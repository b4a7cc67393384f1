/**
 * The error a session gets when the leader's write failed as a whole (nothing of it was saved):
 * LS_STORAGE_FULL when the disk (the site's OPFS quota) is full, LS_STORAGE_ERROR for other
 * storage failures.
 */
import { LsError, toLsError } from '../core/errors.ts';
import { isStorageFailure, SQLITE_FULL, SqliteError } from '../sqlite/sqlite-error.ts';

/** What a session is told when the leader's write failed as a whole. */
export function storageError(err: unknown): LsError {
  if (err instanceof SqliteError && (err.sqliteCode & 0xff) === SQLITE_FULL) {
    return new LsError('LS_STORAGE_FULL', 'The browser\'s storage for this site is full, so these commits were not saved and are undone. Free space (this site\'s data, or other sites\') and commit again; everything saved before is intact.', { cause: err });
  }
  if (isStorageFailure(err)) return new LsError('LS_STORAGE_ERROR', `The leader could not write to its database, so these commits were not saved and are undone: ${err.message}`, { cause: err });
  return toLsError(err, 'LS_STORAGE_ERROR', 'the leader could not write to its database');
}

