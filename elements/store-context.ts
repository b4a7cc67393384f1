/**
 * The Lit context through which `<ls-store>` hands its Store to descendants (`<ls-query>`,
 * `QueryController` in users' own elements). The key is a registered symbol so that two copies
 * of ls-elements on one page (say the classic script and an ESM import) still find each other.
 * The value is `undefined` while the store opens and after it closed.
 */
import { createContext } from '@lit/context';
import type { Store } from '../src/index.ts';

export const storeContext = createContext<Store | undefined>(Symbol.for('ls-elements/store'));
