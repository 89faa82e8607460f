"""A mutation that lost a deadlock or a serialization conflict is run again."""

import pytest
import strawberry
from psycopg.errors import DeadlockDetected, SerializationFailure, UniqueViolation
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from clientcard_kit.auth import Principal, Role
from clientcard_kit.graphql import RequestContext, build_schema
from clientcard_kit.graphql.conflicts import ATTEMPTS

from .toy import Query

PRINCIPAL = Principal(subject="u", tenant="salon-a", role=Role.MANAGER)


class Attempts:
    """Fails the first `failures` calls with `error`, then answers how many calls it took."""

    def __init__(self, failures: int, error: DBAPIError) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    async def __call__(self) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.calls


def schema_calling(attempts: Attempts) -> strawberry.Schema:
    @strawberry.type
    class Mutation:
        @strawberry.mutation
        async def send(self) -> int:
            return await attempts()

    return build_schema(query=Query, mutation=Mutation)


def deadlock() -> DBAPIError:
    return OperationalError("UPDATE customers ...", {}, DeadlockDetected("deadlock detected"))


async def run(attempts: Attempts) -> tuple[object, list[str]]:
    result = await schema_calling(attempts).execute(
        "mutation { send }", context_value=RequestContext(principal=PRINCIPAL, services=None)
    )
    errors = [error.message for error in result.errors or []]
    return (result.data or {}).get("send") if result.data else None, errors


@pytest.mark.parametrize(
    "error",
    [
        deadlock(),
        OperationalError("UPDATE ...", {}, SerializationFailure("could not serialize access")),
    ],
)
async def test_a_conflict_is_run_again_until_it_goes_through(error: DBAPIError) -> None:
    attempts = Attempts(ATTEMPTS - 1, error)
    assert await run(attempts) == (ATTEMPTS, [])


async def test_a_conflict_that_keeps_coming_back_is_an_internal_error() -> None:
    attempts = Attempts(ATTEMPTS, deadlock())
    assert await run(attempts) == (None, ["internal error"])
    assert attempts.calls == ATTEMPTS


async def test_other_database_errors_are_not_run_again() -> None:
    taken = IntegrityError("INSERT ...", {}, UniqueViolation("duplicate key"))
    attempts = Attempts(1, taken)
    assert await run(attempts) == (None, ["internal error"])
    assert attempts.calls == 1
