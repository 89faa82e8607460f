"""A mutation PostgreSQL rolled back to end a deadlock or a serialization conflict is run
again, instead of answering "internal error" to someone who did nothing wrong.

Two transactions that lock the same rows in opposite orders (a manager's message and a
consumer's batch touching the same customers, say) deadlock, and PostgreSQL rolls one of
them back. Consumers retry such a failure as a transient one; a mutation answered the
person with an internal error. A mutation's writes are one unit of work, with the events
it publishes in the same transaction (the outbox), so the rolled-back attempt left nothing
behind and running the resolver again is safe. A conflict that keeps coming back after
`ATTEMPTS` is answered as before.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from inspect import isawaitable
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema
from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

ATTEMPTS = 3
# Short and growing: the other transaction usually commits within milliseconds.
_PAUSES = (0.01, 0.05)


def is_conflict(error: BaseException) -> bool:
    """Whether PostgreSQL rolled the transaction back only to let another one finish."""
    return isinstance(error, DBAPIError) and isinstance(
        error.orig, DeadlockDetected | SerializationFailure
    )


def retrying(resolve: GraphQLFieldResolver) -> Callable[..., Awaitable[Any]]:
    async def resolve_again(root: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                result = resolve(root, info, **arguments)
                return await result if isawaitable(result) else result
            except DBAPIError as error:
                if attempt == ATTEMPTS or not is_conflict(error):
                    raise
                log.warning(
                    "mutation %s rolled back by a conflict (attempt %d), running it again: %s",
                    info.field_name,
                    attempt,
                    type(error.orig).__name__,
                )
                await asyncio.sleep(_PAUSES[attempt - 1])
        raise AssertionError("unreachable")  # pragma: no cover

    return resolve_again


def retry_conflicting_mutations(schema: GraphQLSchema) -> None:
    """Wrap every mutation field's resolver of the built schema."""
    mutation = schema.mutation_type
    if mutation is None:
        return
    for field in mutation.fields.values():
        if field.resolve is not None:
            field.resolve = retrying(field.resolve)
