"""Segment jobs through the API against the real PostgreSQL and Kafka, on known customers
(the service's own runner does the work); bad input refused with its code; each tenant
seeing only its own jobs."""

import uuid
from typing import Any

import pytest

from clientcard_kit.db import Database

from .calls import error_code, tenant
from .jobs_support import (  # noqa: F401 (fixtures used here)
    ACCRUE,
    ASSIGN,
    CANCEL,
    GET,
    LIST,
    SEGMENTS_CHANGED,
    UNASSIGN,
    WOMEN,
    Shop,
    announced,
    db_fixture,
    finished,
    members,
    shop_fixture,
)

pytestmark = pytest.mark.integration


async def test_assigning_by_filter_puts_exactly_the_matches_in_and_announces_each(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant, "MANAGER")
    started = (await call.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)]))[
        "assignSegmentsByFilter"
    ]
    assert (started["kind"], started["status"], started["total"]) == (
        "ASSIGN_SEGMENTS",
        "QUEUED",
        None,
    )
    job = await finished(call, started["id"])
    assert (job["status"], job["total"], job["processed"], job["failed"]) == (
        "SUCCEEDED",
        4,
        4,
        0,
    )
    assert job["finishedAt"] is not None
    assert job["error"] is None
    assert await members(db, shop.tenant, shop.gift) == set(shop.women)
    # The dynamic segment that follows the manual one came along in the same batch.
    assert await members(db, shop.tenant, shop.dynamic) == set(shop.women)
    everyone = shop.women + shop.men
    # Each woman announced once per change: joining the manual, then the dynamic segment.
    first = await announced(db, SEGMENTS_CHANGED, everyone)
    assert sorted(set(first)) == sorted(str(w) for w in shop.women)

    again = (await call.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)]))[
        "assignSegmentsByFilter"
    ]
    assert (await finished(call, again["id"]))["processed"] == 4
    # Nobody's segments changed the second time, so nobody was announced again.
    assert await announced(db, SEGMENTS_CHANGED, everyone) == first


async def test_unassigning_by_filter_takes_out_only_the_matches(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant, "OWNER")
    everyone = {"registrationSources": ["POS"]}
    assigned = await call.data(ASSIGN, filter=everyone, segments=[str(shop.gift)])
    await finished(call, assigned["assignSegmentsByFilter"]["id"])
    men = {"gender": "MALE"}
    started = (await call.data(UNASSIGN, filter=men, segments=[str(shop.gift)]))[
        "unassignSegmentsByFilter"
    ]
    job = await finished(call, started["id"])
    assert (job["kind"], job["status"], job["total"], job["processed"]) == (
        "UNASSIGN_SEGMENTS",
        "SUCCEEDED",
        3,
        3,
    )
    assert await members(db, shop.tenant, shop.gift) == set(shop.women)
    assert await members(db, shop.tenant, shop.dynamic) == set(shop.women)


async def test_a_filter_nobody_matches_succeeds_with_total_zero(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant)
    nobody = {"search": "Никтотакой"}
    started = await call.data(ASSIGN, filter=nobody, segments=[str(shop.gift)])
    job = await finished(call, started["assignSegmentsByFilter"]["id"])
    assert (job["status"], job["total"], job["processed"], job["failed"]) == (
        "SUCCEEDED",
        0,
        0,
        0,
    )
    assert await members(db, shop.tenant, shop.gift) == set()


async def test_segments_a_job_cannot_change_are_refused(
    as_tenant: Any, db: Database, shop: Shop
) -> None:
    call = as_tenant(shop.tenant)
    other = await as_tenant(tenant())('mutation { createSegment(name: "Чужой") { id } }')
    foreign = other["data"]["createSegment"]["id"]
    for segments in ([str(shop.dynamic)], [foreign], [str(uuid.uuid4())], []):
        for mutation in (ASSIGN, UNASSIGN):
            answer = await call(mutation, filter=WOMEN, segments=segments)
            assert error_code(answer) == "BAD_USER_INPUT", (segments, answer)
    assert (await call.data(LIST))["jobs"]["totalCount"] == 0


async def test_a_viewer_may_watch_but_not_start_or_cancel(as_tenant: Any, shop: Shop) -> None:
    manager, viewer = as_tenant(shop.tenant), as_tenant(shop.tenant, "VIEWER")
    for mutation, arguments in (
        (ASSIGN, {"filter": WOMEN, "segments": [str(shop.gift)]}),
        (UNASSIGN, {"filter": WOMEN, "segments": [str(shop.gift)]}),
        (ACCRUE, {"filter": WOMEN, "amount": "-1"}),
    ):
        assert error_code(await viewer(mutation, **arguments)) == "FORBIDDEN"
    started = await manager.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    job_id = started["assignSegmentsByFilter"]["id"]
    assert error_code(await viewer(CANCEL, id=job_id)) == "FORBIDDEN"
    assert (await viewer.data(GET, id=job_id))["job"]["id"] == job_id


async def test_a_tenant_sees_and_cancels_only_its_own_jobs(as_tenant: Any, shop: Shop) -> None:
    mine, theirs = as_tenant(shop.tenant), as_tenant(tenant())
    first = await mine.data(ASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    second = await mine.data(UNASSIGN, filter=WOMEN, segments=[str(shop.gift)])
    ids = [second["unassignSegmentsByFilter"]["id"], first["assignSegmentsByFilter"]["id"]]
    assert (await theirs.data(GET, id=ids[0]))["job"] is None
    assert (await theirs.data(LIST))["jobs"]["totalCount"] == 0
    assert error_code(await theirs(CANCEL, id=ids[0])) == "NOT_FOUND"
    # The owner pages through them, newest first.
    page = (await mine.data(LIST, first=1))["jobs"]
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"]
    rest = (await mine.data(LIST, first=1, after=page["pageInfo"]["endCursor"]))["jobs"]
    listed = [page["edges"][0]["node"]["id"], rest["edges"][0]["node"]["id"]]
    assert listed == ids
    assert not rest["pageInfo"]["hasNextPage"]
