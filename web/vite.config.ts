// `npm run dev` proxies the API to the gateway and the runtime settings (with the
// development token) to the app server `make up` runs, so the page is same-origin as in
// production. Vitest reads its settings from here too.
import react from '@vitejs/plugin-react';
import type { HtmlTagDescriptor, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The pages' chunks (src/pages.tsx) named in index.html as module preloads: the browser
// fetches and compiles them beside the entry instead of after it has run.
const PAGES = /\/src\/(clients\/ClientsPage|card\/CardPage)\.tsx$/;

function preloadPages(): Plugin {
  return {
    name: 'clientcard-preload-pages',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context): HtmlTagDescriptor[] {
        const files = new Set<string>();
        for (const chunk of Object.values(context.bundle ?? {})) {
          if (chunk.type === 'chunk' && PAGES.test(chunk.facadeModuleId ?? '')) {
            for (const file of [chunk.fileName, ...chunk.imports]) files.add(file);
          }
        }
        return [...files]
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' }));
      },
    },
  };
}

const gateway = process.env.CLIENTCARD_GATEWAY ?? 'http://127.0.0.1:4000';
const appServer = process.env.CLIENTCARD_APP_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react(), preloadPages()],
  server: {
    port: 5173,
    proxy: { '/graphql': gateway, '/config.json': appServer },
  },
  build: {
    // The libraries go with the code that uses them: the pages' own chunks (src/pages.tsx)
    // carry what only they need (the table, the card's dialogs), so less is parsed first.
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
  },
});
