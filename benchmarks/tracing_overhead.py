"""Benchmark of what tracing costs a service per request, in CPU, when a request is not sampled.

A FastAPI application set up by the kit's `tracing.instrument_app` and
`instrument_libraries`, as every service is, answers N requests called straight through
ASGI (no sockets, so only the application's own work is timed), each running
`--statements` SQL statements (`SELECT 1` on one psycopg connection to `--database-url`;
a card's subgraph request runs a few), in a fresh process per case:

- `off`: tracing not asked for (no OTEL_* variables): nothing installed;
- `sampled-out-in-middleware`: tracing on at 1 % and requests without a `traceparent`:
  OpenTelemetry's ASGI middleware runs for each and its sampler drops 99 in 100 (what
  every unsampled request cost before the bypass);
- `sampled-out-by-caller`: tracing on and requests whose `traceparent` says the caller
  (the gateway) did not sample them: they skip the middleware (`server_spans`);
- `sampled`: tracing on and every request recorded (to an exporter that drops the spans).

Printed: CPU microseconds per request in each case and the difference to `off`. The
process's CPU time is measured, not the wall clock, so other work on the machine moves
the figures little.

    make up   # for its PostgreSQL on 54329
    .venv/bin/python benchmarks/tracing_overhead.py --requests 20000 --statements 4
"""

import argparse
import asyncio
import os
import subprocess
import sys
import time
from typing import Any

CASES = ("off", "sampled-out-in-middleware", "sampled-out-by-caller", "sampled")
TRACE = "ab" * 16
PARENT = "cd" * 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--statements", type=int, default=4, help="SQL statements a request")
    parser.add_argument(
        "--database-url", default="postgresql://postgres:postgres@127.0.0.1:54329/postgres"
    )
    parser.add_argument("--case", choices=CASES, help="run one case in this process")
    options = parser.parse_args()
    if options.case:
        print(asyncio.run(measure(options)))
        return
    costs = {case: float(run_case(case, options)) for case in CASES}
    print(
        f"{options.requests:,} requests a case, {options.statements} SQL statements each; "
        "CPU µs per request (difference to off)"
    )
    for case, cost in costs.items():
        print(f"  {case:28} {cost:7.1f}  ({cost - costs['off']:+.1f})")


def run_case(case: str, options: argparse.Namespace) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    if case != "off":
        environment |= {
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": "1" if case == "sampled" else "0.01",
        }
    command = [
        *(sys.executable, __file__, "--case", case, "--requests", str(options.requests)),
        *("--statements", str(options.statements), "--database-url", options.database_url),
    ]
    done = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


async def measure(options: argparse.Namespace) -> float:
    import psycopg
    from fastapi import FastAPI

    from clientcard_kit.observability import tracing

    case: str = options.case
    requests: int = options.requests
    if case != "off":
        trace_into_nowhere()
    tracing.instrument_libraries()  # before the connection, as a service does
    connection = await psycopg.AsyncConnection.connect(options.database_url, autocommit=True)
    app = FastAPI(telemetry=tracing.FASTAPI_TELEMETRY)  # type: ignore[arg-type]

    @app.post("/graphql")
    async def graphql() -> dict[str, Any]:
        for _ in range(options.statements):
            await connection.execute("SELECT 1")
        return {"data": {"customer": {"id": "1", "firstName": "Анна"}}}

    tracing.instrument_app(app)
    headers = [(b"content-type", b"application/json")]
    if case == "sampled-out-by-caller":
        headers.append((b"traceparent", f"00-{TRACE}-{PARENT}-00".encode()))
    for _ in range(500):  # warm-up: routes compiled, caches filled
        await call(app, headers)
    started = time.process_time()
    for _ in range(requests):
        await call(app, headers)
    spent: float = time.process_time() - started
    await connection.close()
    return spent / requests * 1e6


def trace_into_nowhere() -> None:
    """Tracing on with the sampler the OTEL_* variables name, every recorded span handed to
    an exporter that keeps nothing (the export's own cost is not measured here)."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

    from clientcard_kit.observability import tracing

    class Nowhere(SpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    provider = TracerProvider()  # reads OTEL_TRACES_SAMPLER and its argument
    provider.add_span_processor(SimpleSpanProcessor(Nowhere()))
    tracing.use_provider(provider)


async def call(app: Any, headers: list[tuple[bytes, bytes]]) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8001),
    }
    body = {"type": "http.request", "body": b"{}", "more_body": False}

    async def receive() -> dict[str, Any]:
        return body

    async def send(message: dict[str, Any]) -> None:
        pass

    await app(scope, receive, send)


if __name__ == "__main__":
    main()
