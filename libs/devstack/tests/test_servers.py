"""The fixtures give real servers: PostgreSQL where RLS binds the app role, and Kafka."""

import asyncio
import uuid

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from clientcard_devstack.testservers import KafkaServer, PostgresServer

pytestmark = pytest.mark.integration


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def test_app_role_cannot_bypass_row_level_security(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("devstack_rls")

    assert url.startswith(f"postgresql+psycopg://clientcard:clientcard@{postgres_server.host}:")
    with psycopg.connect(_libpq(url)) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owner = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    assert role == (False, False)
    assert owner == ("clientcard",)


def test_row_level_security_filters_the_app_roles_reads(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("devstack_rls_rows")
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute("CREATE TABLE notes (tenant_id text NOT NULL, body text NOT NULL)")
        conn.execute("ALTER TABLE notes ENABLE ROW LEVEL SECURITY")
        conn.execute("ALTER TABLE notes FORCE ROW LEVEL SECURITY")  # binds the owner too
        conn.execute(
            "CREATE POLICY tenant ON notes USING (tenant_id = current_setting('app.tenant', true))"
        )
        for tenant in ("a", "b"):
            conn.execute("SELECT set_config('app.tenant', %s, true)", (tenant,))
            conn.execute("INSERT INTO notes VALUES (%s, 'hello')", (tenant,))
        conn.execute("SELECT set_config('app.tenant', 'a', true)")
        visible = conn.execute("SELECT tenant_id FROM notes").fetchall()

    assert visible == [("a",)]


def test_create_database_starts_empty(postgres_server: PostgresServer) -> None:
    url = postgres_server.create_database("devstack_again")
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute("CREATE TABLE leftover (id int)")

    url = postgres_server.create_database("devstack_again")
    with psycopg.connect(_libpq(url)) as conn:
        tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchall() == []


def test_superuser_url_is_an_sqlalchemy_psycopg_url(postgres_server: PostgresServer) -> None:
    assert postgres_server.admin_url.startswith("postgresql+psycopg://")
    with psycopg.connect(_libpq(postgres_server.admin_url)) as conn:
        row = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert row.fetchone() == (True,)


async def test_kafka_round_trips_a_message(kafka_server: KafkaServer) -> None:
    topic = f"devstack.{uuid.uuid4().hex[:8]}.v1"
    assert await kafka_server.create_topics([topic], partitions=3) == [topic]
    assert await kafka_server.create_topics([topic], partitions=3) == []  # idempotent

    producer = AIOKafkaProducer(bootstrap_servers=kafka_server.bootstrap_servers, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, b'{"hello": "card"}', key=b"customer-1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka_server.bootstrap_servers,
        group_id=f"devstack-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()
    assert (message.key, message.value) == (b"customer-1", b'{"hello": "card"}')


def test_kafka_topics_from_sync_code(kafka_server: KafkaServer) -> None:
    created = kafka_server.create_topics_sync([("devstack.sync.v1", 2)])
    assert created in (["devstack.sync.v1"], [])
