"""What one field of a list costs a subgraph: a resolver, a plain attribute, and a plain
attribute through the kit's short path for leaves (`clientcard_kit.graphql.leaf_fields`).

A list of 1,000 objects of seven string fields is executed by Strawberry in this process,
again and again; the figure is this process's CPU time per field answered (so other work
on the machine moves it little). No server is needed.

    .venv/bin/python benchmarks/graphql_fields.py [--rounds 20] [--objects 1000]
"""

import argparse
import asyncio
import time
from dataclasses import dataclass

import strawberry

from clientcard_kit.graphql.leaf_fields import LeafFieldsExecution

FIELDS = "a b c d e f g"


@dataclass
class Row:
    a: str
    b: str
    c: str
    d: str
    e: str
    f: str
    g: str


@strawberry.type
class ByResolvers:
    row: strawberry.Private[Row]

    @strawberry.field
    def a(self) -> str:
        return self.row.a

    @strawberry.field
    def b(self) -> str:
        return self.row.b

    @strawberry.field
    def c(self) -> str:
        return self.row.c

    @strawberry.field
    def d(self) -> str:
        return self.row.d

    @strawberry.field
    def e(self) -> str:
        return self.row.e

    @strawberry.field
    def f(self) -> str:
        return self.row.f

    @strawberry.field
    def g(self) -> str:
        return self.row.g


@strawberry.type
class Plain:
    a: str
    b: str
    c: str
    d: str
    e: str
    f: str
    g: str


ROWS: list[Row] = []


@strawberry.type
class Query:
    @strawberry.field
    async def by_resolvers(self) -> list[ByResolvers]:
        return [ByResolvers(row=row) for row in ROWS]

    @strawberry.field
    async def plain(self) -> list[Plain]:
        return [Plain(**vars(row)) for row in ROWS]


async def per_field(schema: strawberry.Schema, field: str, rounds: int) -> float:
    query = f"{{ {field} {{ {FIELDS} }} }}"
    await schema.execute(query)
    started = time.process_time()
    for _ in range(rounds):
        result = await schema.execute(query)
        assert not result.errors, result.errors
    return (time.process_time() - started) / (rounds * len(ROWS) * 7) * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--objects", type=int, default=1000)
    options = parser.parse_args()
    ROWS.extend(Row(*FIELDS.split()) for _ in range(options.objects))
    standard = strawberry.Schema(Query)
    short = strawberry.Schema(Query, execution_context_class=LeafFieldsExecution)
    cases = [
        ("resolver per field", standard, "byResolvers"),
        ("plain attribute", standard, "plain"),
        ("plain attribute, kit's short path", short, "plain"),
    ]
    print("| case | CPU µs a field (best of 3) |\n|---|---:|")
    for name, schema, field in cases:
        best = min([await per_field(schema, field, options.rounds) for _ in range(3)])
        print(f"| {name} | {best:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
