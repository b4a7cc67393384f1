/**
 * The sync server's optional logging hook: one call per thing that happened (listening,
 * connection opened/closed, push accepted/rejected, errors), with plain data for the details.
 * The CLI prints each call as one line; tests and embedders pass their own or nothing.
 */
export type SyncLogLevel = 'debug' | 'info' | 'warn' | 'error';

export type SyncLog = (level: SyncLogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

export const silentLog: SyncLog = () => {};
