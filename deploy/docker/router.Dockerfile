# syntax=docker/dockerfile:1
# Hive Router (The Guild's Rust router, the `hive-router` crate) on the checked-in
# supergraph: an alternative to the gateway image for the same place in the system, with
# the same environment variables (docs/operations.md, "Running Hive Router instead of
# Hive Gateway"). Build from the repository root:
#   docker build -f deploy/docker/router.Dockerfile -t clientcard/router .
# The build compiles about 600 crates (tens of minutes on two cores).

# hive-router 0.3.10's locked dependencies need rustc 1.97 or later. `graphiql` builds
# the small GraphiQL page instead of the Laboratory UI, whose build step needs an npm
# package the registry does not serve; the UI is off in production anyway.
FROM rust:1.99-bookworm@sha256:fbc3a359627c6b5d9c8b20aae5c413a87392954f020006d7a9f7d95938964b23 AS build
RUN cargo install --locked --features graphiql --root /opt/hive-router hive-router@0.3.10

FROM debian:12-slim@sha256:d5d3f9c23164ea16f31852f95bd5959aad1c5e854332fe00f7b3a20fcc9f635c AS runtime
RUN groupadd --system --gid 10001 clientcard \
    && useradd --system --uid 10001 --gid clientcard --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin clientcard
# The certificate authorities, for a key set (GATEWAY_JWKS_URL) or subgraphs over HTTPS.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /opt/hive-router/bin/hive_router /usr/local/bin/hive_router
COPY gateway/supergraph.graphql /app/router/supergraph.graphql
COPY deploy/router/router.config.yaml deploy/router/router.jwks-url.config.yaml deploy/router/clientcard-router /app/router/
# Set GATEWAY_JWT_SECRET or GATEWAY_JWKS_URL, and CUSTOMERS_URL, BONUSES_URL,
# MESSAGING_URL, RECEIPTS_URL, as for the gateway image.
ENV GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=4000 \
    GATEWAY_ENVIRONMENT=production
USER 10001:10001
WORKDIR /app/router
EXPOSE 4000
# Healthy means ready: the supergraph is loaded (GET /readiness answers 200, else 503).
# The image has no HTTP client; bash's /dev/tcp sends the request.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${GATEWAY_PORT} && printf 'GET /readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
CMD ["/app/router/clientcard-router"]
