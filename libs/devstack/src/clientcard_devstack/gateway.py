"""The federated GraphQL gateway's place in the stack.

The gateway (Hive Gateway serving the composed supergraph) lives in `gateway/` and is run
like the services: a command line, a port (4000), a readiness URL. Until that folder can
start it, `gateway_command` returns None and the launcher reports it as not available.
"""

from pathlib import Path

from clientcard_devstack.registry import GATEWAY_PORT, HOST

READY_URL = f"http://{HOST}:{GATEWAY_PORT}/readiness"
GRAPHQL_URL = f"http://{HOST}:{GATEWAY_PORT}/graphql"


def gateway_command(repo: Path) -> list[str] | None:
    """How to start the gateway from `repo`, or None while the repository has none."""
    script = repo / "gateway" / "bin" / "clientcard-gateway"
    return [str(script)] if script.is_file() else None
