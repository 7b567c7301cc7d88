import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The API lives on the `bosun` server; in development Vite forwards /api to it. `vite preview`
// does the same so the built app can be tried (or end-to-end tested) against any server. `ws`:
// the events socket (/api/v1/events, which carries sync pushes and pulls) is forwarded too;
// without it the upgrade is left unanswered and the first sync never ends.
const apiTarget = process.env.BOSUN_API_URL ?? 'http://127.0.0.1:8080';
const proxy = { '/api': { target: apiTarget, changeOrigin: false, ws: true } };

/**
 * The server's Content-Security-Policy for the web app (crates/http/src/lib.rs), sent by
 * `vite preview` too so the end-to-end tests of a preview run under the same rules as the
 * embedded app: the service worker and the manifest load as `'self'` through `default-src`.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Paths the server answers itself: never the app shell, online or off. */
const SERVER_PATHS = [/^\/api\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/];

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new version waits until the person reloads (the shell offers it): taking over an open
      // page by itself could drop what they were typing.
      registerType: 'prompt',
      // Registered from src/app/service-worker.ts; an inline registration script would break
      // the CSP (`script-src 'self'`).
      injectRegister: false,
      strategies: 'generateSW',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: {
        id: '/',
        name: 'Bosun',
        short_name: 'Bosun',
        description: 'Planned maintenance, faults and handovers for your fleet.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b4f71',
        background_color: '#f3f5f7',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: index.html and every hashed chunk (each page is one), so any page
        // opens offline, not only those visited before.
        // The QR decoder's zxing_reader.wasm (about 1.1 MB, under the 2 MiB default limit) too,
        // so scanning a label works offline.
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest,wasm}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: SERVER_PATHS,
        cleanupOutdatedCaches: true,
        // One file: the runtime inlined instead of a `workbox-<hash>.js` beside it.
        inlineWorkboxRuntime: true,
        // API answers are not cached here: offline data comes from the local replica later.
      },
      devOptions: { enabled: false },
    }),
  ],
  server: { proxy },
  preview: { proxy, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The binary embeds dist/; source maps would triple its share for no use on a vessel.
    sourcemap: false,
  },
});
