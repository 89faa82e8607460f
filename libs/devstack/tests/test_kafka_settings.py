"""The broker's configuration, without starting it."""

from pathlib import Path

from clientcard_contracts.topics import TOPICS
from clientcard_devstack.kafka import KafkaSettings, new_cluster_id, server_properties
from clientcard_devstack.topics import normalise


def _settings() -> KafkaSettings:
    return KafkaSettings(
        directory=Path("/state/kafka"),
        libs=Path("/state/kafka/libs"),
        deploy_dir=Path("/repo/deploy/kafka"),
        port=19092,
        controller_port=19093,
    )


def test_single_node_kraft_properties() -> None:
    lines = server_properties(_settings()).splitlines()
    values = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    assert values["process.roles"] == "broker,controller"
    assert values["controller.quorum.bootstrap.servers"] == "127.0.0.1:19093"
    assert values["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert values[key] == "1", key
    assert values["group.initial.rebalance.delay.ms"] == "0"
    assert values["auto.create.topics.enable"] == "false"
    assert values["log.dirs"] == "/state/kafka/data"


def test_cluster_ids_look_like_kafkas() -> None:
    ids = {new_cluster_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)


def test_topic_requests_of_every_form() -> None:
    assert normalise(["a", ("b", 3), *TOPICS[:1]], partitions=2) == {
        "a": 2,
        "b": 3,
        TOPICS[0].name: TOPICS[0].partitions,
    }
