# syntax=docker/dockerfile:1
# The federated GraphQL gateway (Hive Gateway on the checked-in supergraph). Build from
# the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t clientcard/gateway .
# Runs gateway/bin/clientcard-gateway, the command `make up` runs. Only the runtime npm
# packages are installed: the composers are development dependencies.

FROM node:22.23.3-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS build
WORKDIR /app/gateway
COPY gateway/package.json gateway/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force
COPY gateway/bin bin
COPY gateway/lib lib
COPY gateway/gateway.config.ts gateway/supergraph.graphql ./

FROM node:22.23.3-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS runtime
COPY --from=build /app/gateway /app/gateway
# Production refuses to start with the development JWT secret: set GATEWAY_JWT_SECRET or
# GATEWAY_JWKS_URL, and CUSTOMERS_URL, BONUSES_URL, MESSAGING_URL, RECEIPTS_URL.
ENV NODE_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=4000 \
    GATEWAY_ENVIRONMENT=production
# The base image's unprivileged user.
USER 1000:1000
EXPOSE 4000
# Healthy means ready: the supergraph is loaded (GET /readiness).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.GATEWAY_PORT + '/readiness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["/app/gateway/bin/clientcard-gateway"]
