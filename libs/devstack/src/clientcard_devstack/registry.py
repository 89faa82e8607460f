"""Every process the development stack runs, in start order, and its port.

`down` stops them in the reverse order. Ports are chosen not to clash with a developer's
own PostgreSQL (5432) or Kafka (9092); the tests' servers have their own (see testservers).
"""

from dataclasses import dataclass
from typing import Literal

Kind = Literal["postgres", "kafka", "service", "gateway", "web", "observability"]

POSTGRES_PORT = 54329
KAFKA_PORT = 19092
KAFKA_CONTROLLER_PORT = 19093
GATEWAY_PORT = 4000
# The back office's web app (web/), in front of the gateway.
WEB_PORT = 3000
# Prometheus scraping every process, and the trace viewer's UI (`make up TRACES=1`).
PROMETHEUS_PORT = 9090
TRACES_PORT = 16686
SERVICE_PORTS = {"customers": 8001, "bonuses": 8002, "messaging": 8003, "receipts": 8004}
HOST = "127.0.0.1"
# The tenant of the token `up` prints, the one demo data is seeded for.
DEMO_TENANT = "demo"
# Settings the local stack gives services (without their prefix). An NPS survey comes a few
# seconds after a purchase instead of two hours, so that the demo shows answers at once.
SERVICE_DEFAULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "messaging": (("NPS_SURVEY_DELAY_MINUTES", "0.05"),),
}


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    kind: Kind
    port: int


COMPONENTS: tuple[Component, ...] = (
    Component("postgres", "postgres", POSTGRES_PORT),
    Component("kafka", "kafka", KAFKA_PORT),
    *(Component(name, "service", port) for name, port in SERVICE_PORTS.items()),
    # The federated GraphQL gateway: started last, once every subgraph is ready.
    Component("gateway", "gateway", GATEWAY_PORT),
    # The web app, served once the gateway it speaks to is up.
    Component("web", "web", WEB_PORT),
    # Seeing the stack: the trace viewer starts first when asked for, Prometheus last.
    Component("prometheus", "observability", PROMETHEUS_PORT),
    Component("traces", "observability", TRACES_PORT),
)


def component(name: str) -> Component:
    for candidate in COMPONENTS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
