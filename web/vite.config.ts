import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API lives on the `bosun` server; in development Vite forwards /api to it. `vite preview`
// does the same so the built app can be tried (or end-to-end tested) against any server.
const apiTarget = process.env.BOSUN_API_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The binary embeds dist/; source maps would triple its share for no use on a vessel.
    sourcemap: false,
  },
});
