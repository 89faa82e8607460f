"""The base of a service's repositories: its SQL on the unit of work's transaction.

A repository is made by the unit of work for one tenant's transaction (see
`clientcard_kit.unit_of_work`), so it holds the session and the tenant it writes rows
for; row-level security already limits what it reads to that tenant.
"""

from sqlalchemy.ext.asyncio import AsyncSession


class Repository:
    def __init__(self, session: AsyncSession, tenant: str) -> None:
        self._session = session
        self._tenant = tenant
