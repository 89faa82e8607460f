"""What a resolver finds in `info.context`: the caller, the service's wiring, the loaders.

One `RequestContext` lives for one HTTP request. Its `services` slot holds whatever the
service wires for a request (a unit-of-work factory, repositories, clients); the generic
parameter keeps it typed in resolvers, e.g. `Info[RequestContext[TenantServices[…]], None]`.
"""

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext
from typing_extensions import TypeVar

from clientcard_kit.auth import AuthError, Principal, Role, TokenVerifier
from clientcard_kit.auth.tokens import bearer_token
from clientcard_kit.graphql.errors import Forbidden, Unauthenticated
from clientcard_kit.graphql.request_reads import RequestReads

ServicesT = TypeVar("ServicesT", default=Any)
K = TypeVar("K")
V = TypeVar("V")

BatchLoad = Callable[[list[K]], Awaitable[Sequence[V | BaseException]]]

AUTHENTICATION_REQUIRED = "authentication required"


@dataclass(eq=False)
class RequestContext(BaseContext, Generic[ServicesT]):
    principal: Principal | None
    services: ServicesT
    # Why the principal is missing, told to the client instead of a bare "unauthenticated".
    auth_error: AuthError | None = None
    # Whether anyone may read the schema (`_service { sdl }`, introspection) without a
    # token: in development, for composition tools; elsewhere only staff and services.
    schema_is_public: bool = True
    _loaders: dict[Hashable, DataLoader[Any, Any]] = field(
        default_factory=dict, init=False, repr=False
    )
    # The read connection the request's loaders share (see `request_reads`).
    reads: RequestReads = field(default_factory=RequestReads, init=False, repr=False)

    def __post_init__(self) -> None:
        # The dataclass' __init__ replaces BaseContext's, which sets request and response;
        # the FastAPI router fills them in later, a test's context keeps them None.
        BaseContext.__init__(self)

    def require(self, role: Role = Role.VIEWER) -> Principal:
        """The caller, when allowed what `role` may do; raises Unauthenticated or Forbidden."""
        principal = self.principal
        if principal is None:
            raise Unauthenticated(str(self.auth_error or AUTHENTICATION_REQUIRED))
        if not principal.role.allows(role):
            higher = "" if role is Role.OWNER else " or higher"
            raise Forbidden(f"requires {role.value} role{higher}")
        return principal

    def loader(self, key: Hashable, load: BatchLoad[K, V]) -> DataLoader[K, V]:
        """The request's DataLoader named `key`, created around `load` on first use.

        The loader lives as long as the request, so its cache never outlives one caller's
        view of the data, and every `load` of one tick lands in one call of `load`.
        """
        existing = self._loaders.get(key)
        if existing is not None:
            return existing
        created: DataLoader[K, V] = DataLoader(load_fn=load)
        self._loaders[key] = created
        return created


async def authenticate(
    verifier: TokenVerifier, authorization: str | None
) -> tuple[Principal | None, AuthError | None]:
    """The principal of an Authorization header, or the reason there is none."""
    try:
        token = bearer_token(authorization)
        if verifier.may_fetch_keys:
            # A JWKS document may have to be fetched over the network: off the loop.
            principal = await run_in_threadpool(verifier.verify, token)
        else:
            # A shared secret checks in microseconds, less than a hop to a thread.
            principal = verifier.verify(token)
    except AuthError as error:
        return None, error
    return principal, None


def make_context_getter(
    verifier: TokenVerifier,
    services_factory: Callable[[Principal | None], ServicesT],
    *,
    schema_is_public: bool = True,
) -> Callable[[Request], Awaitable[RequestContext[ServicesT]]]:
    """A FastAPI dependency building each request's context for `graphql_router`.

    A bad token does not fail here: the context records why, and the authentication
    extension refuses the operation unless it only reads the schema (composition tooling
    does that without a token).
    """

    async def get_context(request: Request) -> RequestContext[ServicesT]:
        principal, error = await authenticate(verifier, request.headers.get("authorization"))
        return RequestContext(
            principal=principal,
            services=services_factory(principal),
            auth_error=error,
            schema_is_public=schema_is_public,
        )

    return get_context
