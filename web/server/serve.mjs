// The web app in production: the built files, and /graphql passed to the gateway so the
// page speaks to one origin. No dependencies beyond Node itself.
//
//   WEB_GATEWAY_URL=http://gateway:4000/graphql node web/server/serve.mjs
//
// /config.json tells the page how to sign in (WEB_OIDC_AUTHORITY, WEB_OIDC_CLIENT_ID,
// WEB_OIDC_SCOPE) and how to write amounts (WEB_CURRENCY, WEB_TIME_ZONE); /readyz answers
// once the gateway does.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const root = resolve(env.WEB_DIST ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist'));
const gateway = env.WEB_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const port = Number(env.WEB_PORT ?? 3000);
const host = env.WEB_HOST ?? '0.0.0.0';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const settings = JSON.stringify({
  environment: 'production',
  devToken: null,
  oidc: env.WEB_OIDC_AUTHORITY
    ? { authority: env.WEB_OIDC_AUTHORITY, clientId: env.WEB_OIDC_CLIENT_ID ?? 'clientcard-web', scope: env.WEB_OIDC_SCOPE ?? 'openid profile' }
    : null,
  currency: env.WEB_CURRENCY ?? 'RUB',
  timeZone: env.WEB_TIME_ZONE ?? null,
});

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function proxy(request, response) {
  const headers = {};
  for (const name of ['authorization', 'content-type', 'accept']) {
    if (request.headers[name]) headers[name] = request.headers[name];
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  try {
    const answer = await fetch(gateway + query, {
      method: request.method,
      headers,
      body: request.method === 'POST' ? await readBody(request) : undefined,
    });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ message: 'the gateway did not answer', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
  }
}

function file(path, response) {
  const cache = path.includes(`${root}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': cache });
  createReadStream(path).pipe(response);
}

async function ready(response) {
  const base = new URL(gateway);
  try {
    const answer = await fetch(`${base.origin}/readiness`);
    response.writeHead(answer.ok ? 200 : 503).end(answer.ok ? 'ready' : 'the gateway is not ready');
  } catch {
    response.writeHead(503).end('the gateway does not answer');
  }
}

createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, 'http://app').pathname);
  if (path === '/graphql') return void proxy(request, response);
  if (path === '/config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return void response.end(settings);
  }
  if (path === '/healthz') return void response.writeHead(200).end('ok');
  if (path === '/readyz') return void ready(response);
  const wanted = normalize(join(root, path));
  if (wanted.startsWith(root + '/') && existsSync(wanted) && statSync(wanted).isFile()) return file(wanted, response);
  // Any other path is one of the app's pages (/clients/…): the app routes it itself.
  return file(join(root, 'index.html'), response);
}).listen(port, host, () => console.log(`clientcard web on http://${host}:${port}, API at ${gateway}`));
