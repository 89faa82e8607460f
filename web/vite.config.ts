// `npm run dev` proxies the API to the gateway and the runtime settings (with the
// development token) to the app server `make up` runs, so the page is same-origin as in
// production. Vitest reads its settings from here too.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const gateway = process.env.CLIENTCARD_GATEWAY ?? 'http://127.0.0.1:4000';
const appServer = process.env.CLIENTCARD_APP_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/graphql': gateway, '/config.json': appServer },
  },
  build: {
    // Mantine, React and urql in their own chunk: it changes more rarely than the app.
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          return id.includes('node_modules') ? 'vendor' : undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
