"""The command line of every service: `python -m clientcard_<service> serve|migrate|…`.

`make up`, the container images and the Kubernetes migration job all run these same
commands, so what runs in development is what runs in production.
"""

import argparse
import sys
from collections.abc import Sequence
from typing import TypeVar

import uvicorn

from clientcard_kit.app import ServiceDefinition, create_service_app
from clientcard_kit.db import migrations
from clientcard_kit.graphql import print_subgraph_sdl
from clientcard_kit.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


def service_main(definition: ServiceDefinition[S], argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=definition.package)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve GraphQL, health and metrics; run consumers")
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("revision", nargs="?", default="head")
    downgrade = commands.add_parser("downgrade", help="downgrade the database schema")
    downgrade.add_argument("revision")
    commands.add_parser("sdl", help="print the subgraph SDL")
    args = parser.parse_args(argv)

    settings = definition.settings()
    if args.command == "serve":
        uvicorn.run(
            create_service_app(definition, settings),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=25,
            timeout_keep_alive=settings.http_keep_alive_seconds,
        )
    elif args.command == "migrate":
        migrations.upgrade(definition.migrations, settings.database_url, args.revision)
    elif args.command == "downgrade":
        migrations.downgrade(definition.migrations, settings.database_url, args.revision)
    else:
        sys.stdout.write(print_subgraph_sdl(definition.schema))
    return 0
