"""The back office's web app (`web/`) served as production serves it: its built files, and
`/graphql` passed to the gateway so the page speaks to one origin (no CORS to open).

`/config.json` tells the page its settings at run time: in development it carries an OWNER
token of the demo tenant, so the app opens without a sign-in; elsewhere the identity
provider's settings (WEB_OIDC_AUTHORITY, WEB_OIDC_CLIENT_ID, WEB_OIDC_SCOPE) instead.

    python -m clientcard_devstack.webapp --port 3000 --gateway http://127.0.0.1:4000/graphql
"""

import argparse
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from clientcard_devstack.paths import repo_root
from clientcard_devstack.registry import DEMO_TENANT
from clientcard_kit.auth import issue_dev_token

# Headers of the gateway's answer the page gets back; hop-by-hop ones are the proxy's own.
_PASSED_HEADERS = ("content-type", "cache-control")


def default_dist() -> Path:
    return repo_root() / "web" / "dist"


def page_settings(environment: str, env: dict[str, str]) -> dict[str, Any]:
    """What `/config.json` says for this environment."""
    settings: dict[str, Any] = {
        "environment": environment,
        "devToken": None,
        "oidc": None,
        "currency": env.get("WEB_CURRENCY", "RUB"),
        "timeZone": env.get("WEB_TIME_ZONE") or None,
    }
    if environment == "development":
        settings["devToken"] = issue_dev_token(
            tenant=env.get("WEB_DEV_TENANT", DEMO_TENANT), role="OWNER", subject="owner@demo"
        )
    elif env.get("WEB_OIDC_AUTHORITY"):
        settings["oidc"] = {
            "authority": env["WEB_OIDC_AUTHORITY"],
            "clientId": env.get("WEB_OIDC_CLIENT_ID", "clientcard-web"),
            "scope": env.get("WEB_OIDC_SCOPE", "openid profile"),
        }
    return settings


def create_app(dist: Path, gateway_url: str, environment: str) -> Starlette:
    settings = page_settings(environment, dict(os.environ))
    client: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=60.0) as http:
            client["http"] = http
            yield

    async def config(_request: Request) -> Response:
        # Fresh per page load in development: the token in it expires.
        development = environment == "development"
        body = page_settings(environment, dict(os.environ)) if development else settings
        return JSONResponse(body, headers={"cache-control": "no-store"})

    async def graphql(request: Request) -> Response:
        headers = {
            name: value
            for name, value in request.headers.items()
            if name in ("authorization", "content-type", "accept")
        }
        answer = await client["http"].request(
            request.method,
            gateway_url,
            params=request.query_params,
            content=await request.body(),
            headers=headers,
        )
        passed = {name: answer.headers[name] for name in _PASSED_HEADERS if name in answer.headers}
        return Response(answer.content, status_code=answer.status_code, headers=passed)

    root = dist.resolve()

    def files(request: Request) -> Response:
        # A plain function: Starlette runs it in a thread, so the file checks block no one.
        path = (root / request.path_params["path"]).resolve()
        if path.is_file() and path.is_relative_to(root):
            # Built assets carry a hash in their names: they never change under one name.
            cache = "public, max-age=31536000, immutable" if "/assets/" in str(path) else "no-cache"
            return FileResponse(path, headers={"cache-control": cache})
        # Any other path is one of the app's pages (/clients/…): the app routes it itself.
        return FileResponse(root / "index.html", headers={"cache-control": "no-cache"})

    return Starlette(
        routes=[
            Route("/config.json", config),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/{path:path}", files),
        ],
        lifespan=lifespan,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--gateway", default="http://127.0.0.1:4000/graphql")
    parser.add_argument("--dist", type=Path, default=None)
    parser.add_argument("--environment", default=os.environ.get("WEB_ENVIRONMENT", "development"))
    args = parser.parse_args(argv)
    dist = args.dist or default_dist()
    if not (dist / "index.html").is_file():
        raise SystemExit(f"{dist} has no index.html: run `make web-build` first")
    app = create_app(dist, args.gateway, args.environment)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
