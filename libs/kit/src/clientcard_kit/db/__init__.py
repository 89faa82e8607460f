"""PostgreSQL access: the engine, tenant-scoped transactions, the unit of work, migrations."""

from clientcard_kit.db.database import Database, set_tenant
from clientcard_kit.db.unit_of_work import UnitOfWork

__all__ = ["Database", "UnitOfWork", "set_tenant"]
