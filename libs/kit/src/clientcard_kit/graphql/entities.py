"""An entity of the supergraph that a subgraph adds fields to, known by its id alone.

A service that extends another's type (bonuses adds the bonus account to the customers
service's `Customer`) answers for any id the gateway sends: an id it holds nothing for
has empty figures, so resolving a reference needs no lookup. A subgraph's type derives
from `KeyedById` and keeps the federation decorator with its key:

    @strawberry.federation.type(keys=["id"])
    class Customer(KeyedById): ...
"""

from typing import Self

import strawberry


@strawberry.type
class KeyedById:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Self:
        return cls(id=id)
