// Vite: the dev server for the demo (`npm start`) and the library build (`npm run build`).
import { defineConfig } from 'vite';

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@livestore/wa-sqlite'] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    lib: {
      entry: { 'ls-elements': 'src/index.ts' },
      formats: ['es'],
    },
    rollupOptions: { external: [] },
  },
});
