import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new deployment waits for the student to click "Reload" (src/ui/pwa/UpdatePrompt.tsx).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg', 'icon-192.png', 'icon-512.png'],
      manifest: {
        name: 'Kubelab',
        short_name: 'Kubelab',
        description: 'An offline, in-browser lab for learning containers and Kubernetes by doing.',
        lang: 'en',
        theme_color: '#151b23',
        background_color: '#0f1419',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Everything the lab needs, including lazily loaded chunks (the editor), so it starts offline.
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,ttf,wasm,json,webmanifest}'],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // The first install takes the open page at once (so even a first visit can update in place);
        // a later version still waits for the student's "Reload" (no skipWaiting).
        clientsClaim: true,
      },
    }),
  ],
  worker: { format: 'es' },
  resolve: {
    alias: [
      // monaco-yaml's worker imports Monaco's worker by its file path, which monaco-editor 0.57's exports map
      // no longer lists (it maps `monaco-editor/*.js` to `esm/vs/*.js`): point that path at the file.
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/', import.meta.url))}$1` },
    ],
  },
  // The first-paint budget (250 KB gzip, xterm included) is tracked by `npm run bench`, not by this warning.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 1024 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1', port: 5173 },
});
