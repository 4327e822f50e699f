import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Paths are relative to the project root, where npm runs every script.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
});
