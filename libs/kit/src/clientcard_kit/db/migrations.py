"""Alembic for every service: running it, and the pieces every service's migrations share.

A service keeps its revisions in `<package>/db/migrations/versions/` with an `env.py` that
only calls `run_env()`. Shared pieces are written as migration operations, frozen once
released: a later change to the kit's tables comes as a new helper, never an edit here.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy.dialects.postgresql import JSONB, UUID

from clientcard_kit.db.database import TENANT_SETTING

TENANT_POLICY = "tenant_isolation"


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    # Alembic's ini interpolation would read a '%' in a password as a placeholder.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


def downgrade(migrations_dir: Path, database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(migrations_dir, database_url), revision)


def run_env() -> None:
    """The body of every service's `env.py`: migrate online, in one transaction."""
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL configured for migrations")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=False)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def create_event_tables() -> None:
    """The outbox and inbox of `clientcard_kit.events.tables`, version 1."""
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("event_id", UUID, nullable=False, unique=True),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("tenant_id", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["seq"], postgresql_where=sa.text("published_at IS NULL")
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column(
            "processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )


def index_inbox_by_age() -> None:
    """The inbox by when each event was processed: what its pruning job walks."""
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def drop_inbox_age_index() -> None:
    op.drop_index("ix_inbox_processed_at", table_name="inbox")


def keep_trace_context_in_outbox() -> None:
    """The outbox row keeps the trace context of the change it announces (version 2)."""
    op.add_column("outbox", sa.Column("traceparent", sa.Text))


def drop_outbox_trace_context() -> None:
    op.drop_column("outbox", "traceparent")


def drop_event_tables() -> None:
    op.drop_table("inbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def create_merged_customers() -> None:
    """The table of `clientcard_kit.db.merged_customers`, version 1, tenant-isolated."""
    op.create_table(
        "merged_customers",
        sa.Column("tenant_id", sa.Text, primary_key=True),
        sa.Column("duplicate_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("survivor_id", UUID(as_uuid=True), nullable=False),
    )
    enable_tenant_isolation("merged_customers")


def drop_merged_customers() -> None:
    disable_tenant_isolation("merged_customers")
    op.drop_table("merged_customers")


def enable_tenant_isolation(table: str) -> None:
    """Row-level security on a table with a `tenant_id` column.

    FORCE applies the policy to the table's owner too, which is the role the service
    connects as; rows are visible and writable only inside a transaction scoped to their
    tenant (`Database.transaction(tenant)`), and nothing is visible outside one.
    """
    condition = f"tenant_id = current_setting('{TENANT_SETTING}', true)"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {TENANT_POLICY} ON {table} USING ({condition}) WITH CHECK ({condition})"
    )


def disable_tenant_isolation(table: str) -> None:
    op.execute(f"DROP POLICY IF EXISTS {TENANT_POLICY} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
