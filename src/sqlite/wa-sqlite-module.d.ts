// Types for the Emscripten loader of @livestore/wa-sqlite (its own .d.ts is not on our include path).
declare module '@livestore/wa-sqlite/dist/wa-sqlite.mjs' {
  const factory: (config?: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
