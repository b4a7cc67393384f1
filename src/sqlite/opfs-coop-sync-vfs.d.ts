// Types for wa-sqlite's OPFSCoopSyncVFS example VFS (its JSDoc types are not on our include path).
declare module '@livestore/wa-sqlite/src/examples/OPFSCoopSyncVFS.js' {
  export class OPFSCoopSyncVFS {
    static create(name: string, module: unknown): Promise<OPFSCoopSyncVFS>;
    readonly name: string;
    close(): void | Promise<void>;
  }
}
