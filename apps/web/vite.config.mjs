// The two pages (/call/ and /webinar/) share one bundle; the same room opens with a different face.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { call: here('call/index.html'), webinar: here('webinar/index.html') } },
  },
});
