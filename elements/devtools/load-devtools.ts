/**
 * `loadDevtools()`: registers `<ls-devtools>` on demand. The devtools module is loaded by a
 * dynamic import, so bundlers split it off and it costs nothing in the app's main bundle until
 * called (for example from a keyboard shortcut or `?devtools` in the URL).
 */
export async function loadDevtools(): Promise<CustomElementConstructor> {
  const { LsDevtools } = await import('./ls-devtools.ts');
  return LsDevtools;
}
