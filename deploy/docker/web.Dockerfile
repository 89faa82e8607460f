# syntax=docker/dockerfile:1
# The back office's web app (web/): built with Vite, then served by web/server/serve.mjs,
# which passes /graphql to the gateway (WEB_GATEWAY_URL). Build from the repository root:
#   docker build -f deploy/docker/web.Dockerfile -t clientcard/web .
# The runtime holds the built files and the server only: no npm packages.

FROM node:22.23.3-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS build
WORKDIR /app/web
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund \
    && npm cache clean --force
COPY web/index.html web/vite.config.ts web/tsconfig.json web/postcss.config.cjs ./
COPY web/src src
RUN npx tsc -p tsconfig.json && npx vite build

FROM node:22.23.3-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS runtime
COPY --from=build /app/web/dist /app/web/dist
COPY web/server /app/web/server
# Sign-in in production: WEB_OIDC_AUTHORITY and WEB_OIDC_CLIENT_ID (the identity provider).
ENV NODE_ENV=production \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=3000 \
    WEB_GATEWAY_URL=http://gateway:4000/graphql
# The base image's unprivileged user.
USER 1000:1000
EXPOSE 3000
# Healthy means ready: the gateway behind it answers (GET /readyz).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.WEB_PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "/app/web/server/serve.mjs"]
