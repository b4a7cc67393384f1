/** Values that cross the SQLite boundary, as bind parameters and as raw column values. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** Positional (`?`) or named (`$name`, `:name`, `@name`) bind values. */
export type BindValues = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/** A raw row as SQLite returns it, keyed by column name. */
export type SqlRow = Readonly<Record<string, SqlValue>>;
