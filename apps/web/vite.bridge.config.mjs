// The iframe bridge integrators load with a plain <script> beside their iframe: one
// classic script at a stable path (/bridge.js, and Gcore's /meetBridgeApi.js), defining
// the global MeetIframeBridge, so `new MeetIframeBridge.default({ element, roomId })` works.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  build: {
    outDir: here('dist'),
    emptyOutDir: false,
    target: 'es2019',
    lib: {
      entry: here('src/bridge/meet-iframe-bridge.ts'),
      name: 'MeetIframeBridge',
      formats: ['iife'],
      fileName: () => 'bridge.js',
    },
    // Named: the global is { default: MeetIframeBridge }, as integrators' code expects.
    rollupOptions: { output: { exports: 'named' } },
  },
});
