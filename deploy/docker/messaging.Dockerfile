# syntax=docker/dockerfile:1
# The messaging service. Build from the repository root:
#   docker build -f deploy/docker/messaging.Dockerfile -t clientcard/messaging .
# Runs `python -m clientcard_messaging serve`, the command `make up` runs; the schema is
# migrated by the same image as a one-shot `python -m clientcard_messaging migrate`
# (the Compose and Kubernetes migration jobs), never at the start of a replica.
# The four service Dockerfiles differ only in the service's name and port.

FROM python:3.11.16-slim-bookworm@sha256:c425d915a89a6dcd3183b1797ad9bd8878caff5a417f6371c8df93c8ea8b727f AS build
# pip compiles the packages' bytecode here, so the read-only runtime never has to.
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY requirements.lock.txt ./
COPY libs/contracts libs/contracts
COPY libs/kit libs/kit
COPY services/messaging services/messaging
# The lock pins every third-party package of the workspace, development tools included;
# used as constraints it fixes the versions of what this service needs and adds nothing.
RUN grep -E '^[A-Za-z0-9]' requirements.lock.txt > constraints.txt \
    && python -m venv /opt/clientcard \
    && /opt/clientcard/bin/pip install --constraint constraints.txt \
        ./libs/contracts ./libs/kit ./services/messaging \
    && /opt/clientcard/bin/pip uninstall --yes pip setuptools

FROM python:3.11.16-slim-bookworm@sha256:c425d915a89a6dcd3183b1797ad9bd8878caff5a417f6371c8df93c8ea8b727f AS runtime
RUN groupadd --system --gid 10001 clientcard \
    && useradd --system --uid 10001 --gid clientcard --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin clientcard
COPY --from=build /opt/clientcard /opt/clientcard
ENV PATH=/opt/clientcard/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MESSAGING_HOST=0.0.0.0 \
    MESSAGING_PORT=8003 \
    MESSAGING_ENVIRONMENT=production \
    MESSAGING_GRAPHIQL=false
USER 10001:10001
EXPOSE 8003
# Healthy means ready: PostgreSQL and Kafka answer (GET /readyz), which is what Compose
# waits for before starting the gateway. Kubernetes uses its own probes instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ['MESSAGING_PORT'], timeout=2)"]
# SIGTERM: stop taking requests, finish those in flight, commit consumer offsets, flush
# the outbox, then exit (clientcard_kit.runtime). Compose and Kubernetes wait 60 s for it.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "clientcard_messaging", "serve"]
