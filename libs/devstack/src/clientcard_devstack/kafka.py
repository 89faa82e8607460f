"""A single-node Apache Kafka (KRaft: broker and controller in one JVM) on the system's Java.

The development stack and the tests' servers both come from here, with their own ports
and folders; they share the cached jars.
"""

import base64
import signal
import subprocess
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clientcard_devstack import processes
from clientcard_devstack.asyncio_bridge import run_sync
from clientcard_devstack.errors import StackError
from clientcard_devstack.kafka_jars import ensure_jars, find_java
from clientcard_devstack.progress import NO_PROGRESS, Progress
from clientcard_devstack.topics import TopicRequest, broker_answers, create_topics

NAME = "kafka"


@dataclass(frozen=True, slots=True)
class KafkaSettings:
    directory: Path
    libs: Path
    deploy_dir: Path  # deploy/kafka: the pom and the logging configuration
    port: int
    controller_port: int
    host: str = "127.0.0.1"
    # Enough for development traffic; the JVM's default (a quarter of the RAM) is not modest.
    heap_initial: str = "128m"
    heap_max: str = "512m"
    # Tests' brokers live for seconds to minutes: the JIT's top tier and G1 do not pay off
    # there, and going without them starts the JVM about half a second sooner.
    quick_start: bool = False

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def properties_file(self) -> Path:
        return self.directory / "server.properties"


def server_properties(settings: KafkaSettings) -> str:
    host, port, controller = settings.host, settings.port, settings.controller_port
    values = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"{host}:{controller}",
        "listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller}",
        "advertised.listeners": f"PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(settings.data_dir),
        # One node: internal topics cannot have more than one replica.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        # The defaults (50 partitions each) make the first consumer group and the first
        # transaction wait seconds for partitions that one machine does not need.
        "offsets.topic.num.partitions": "5",
        "transaction.state.log.num.partitions": "5",
        # A consumer joining a group starts at once instead of waiting 3 s for others.
        "group.initial.rebalance.delay.ms": "0",
        # Topics exist because the launcher or a test made them, not because of a typo.
        "auto.create.topics.enable": "false",
        "num.partitions": "1",
        "default.replication.factor": "1",
    }
    lines = [f"{key}={value}" for key, value in values.items()]
    return "# Written by clientcard-stack on every start.\n" + "\n".join(lines) + "\n"


def new_cluster_id() -> str:
    # Kafka's own ids: 16 random bytes in URL-safe base64; like Kafka, avoid a leading '-'.
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def _java_base(java: str, settings: KafkaSettings) -> list[str]:
    log4j = settings.deploy_dir / "log4j2.properties"
    return [java, f"-Dlog4j2.configurationFile={log4j}", "-cp", f"{settings.libs}/*"]


def is_formatted(settings: KafkaSettings) -> bool:
    return (settings.data_dir / "meta.properties").is_file()


def format_storage(java: str, settings: KafkaSettings) -> None:
    argv = [
        # A one-shot tool: the quickest JVM start is all that matters.
        java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        *_java_base(java, settings)[1:],
        "kafka.tools.StorageTool", "format", "--standalone",
        f"--cluster-id={new_cluster_id()}",
        "-c", str(settings.properties_file),
    ]  # fmt: skip
    result = subprocess.run(argv, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise StackError(
            "formatting Kafka's storage failed",
            log_tail=(result.stdout + result.stderr).strip()[-3000:],
        )


def server_argv(java: str, settings: KafkaSettings) -> list[str]:
    if settings.quick_start:
        tuning = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
    else:
        tuning = ["-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"]
    return [
        java, f"-Xms{settings.heap_initial}", f"-Xmx{settings.heap_max}", *tuning,
        "-Djava.awt.headless=true",
        *_java_base(java, settings)[1:],
        "kafka.Kafka", str(settings.properties_file),
    ]  # fmt: skip


def check_ready(settings: KafkaSettings) -> str | None:
    if not processes.port_answers(settings.host, settings.port):
        return f"port {settings.port} does not answer yet"
    return run_sync(lambda: broker_answers(settings.bootstrap_servers))


@dataclass(slots=True)
class LocalKafka:
    settings: KafkaSettings
    pid_file: Path
    log_file: Path

    def running(self) -> bool:
        return processes.running(self.pid_file) is not None

    def prepare(self, progress: Progress = NO_PROGRESS) -> str:
        """Java checked, jars fetched, configuration written, storage formatted: the java."""
        java = find_java()
        ensure_jars(self.settings.libs, self.settings.deploy_dir / "pom.xml", progress)
        self.settings.directory.mkdir(parents=True, exist_ok=True)
        self.settings.properties_file.write_text(server_properties(self.settings))
        if not is_formatted(self.settings):
            progress(NAME, "formatting the storage (KRaft, first start)")
            format_storage(java, self.settings)
        return java

    def start(self, progress: Progress = NO_PROGRESS, timeout: float = 90.0) -> None:
        for port in (self.settings.port, self.settings.controller_port):
            processes.ensure_port_free(NAME, self.settings.host, port)
        java = self.prepare(progress)
        progress(NAME, f"starting on port {self.settings.port}")
        process = processes.spawn(
            server_argv(java, self.settings),
            log_file=self.log_file,
            pid_file=self.pid_file,
            cwd=self.settings.directory,
        )
        progress(NAME, "waiting for the broker to answer metadata requests")
        processes.wait_ready(
            NAME,
            lambda: check_ready(self.settings),
            process=process,
            log_file=self.log_file,
            timeout=timeout,
            interval=0.25,
        )

    def create_topics(self, topics: Iterable[TopicRequest]) -> list[str]:
        wanted = list(topics)
        return run_sync(lambda: create_topics(self.settings.bootstrap_servers, wanted))

    def stop(self, timeout: float = 30.0) -> processes.StopOutcome:
        # SIGTERM lets the broker shut down in order; its next start is then quick.
        return processes.stop(self.pid_file, sig=signal.SIGTERM, timeout=timeout)
