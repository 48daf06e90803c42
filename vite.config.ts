import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/precompress.ts';

// The client lives in client/; the server serves dist/client. During `npm run dev:client`
// the Vite dev server proxies the API and Socket.IO to the Tribune server on :3000.
// precompress(): every build also writes .br and .gz siblings, which the server sends as they are.
export default defineConfig({
  root: 'client',
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2020',
    reportCompressedSize: false,
    // Which file each source became: the server names a page's first chunks in a Link header (server/http/hints.ts).
    manifest: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
