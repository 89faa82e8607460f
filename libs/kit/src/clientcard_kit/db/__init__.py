"""PostgreSQL access: the engine, tenant-scoped transactions, migrations."""

from clientcard_kit.db.database import Database, set_tenant

__all__ = ["Database", "set_tenant"]
