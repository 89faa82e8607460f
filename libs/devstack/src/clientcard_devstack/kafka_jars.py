"""The Kafka broker's jars from Maven Central, resolved by Maven once and cached.

`deploy/kafka/pom.xml` names the broker and its logging backend. The jars land in the
state folder's `kafka/libs`, with a stamp of the pom they came from, so a changed pom
fetches them again and an unchanged one never does.
"""

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from clientcard_devstack.errors import StackError
from clientcard_devstack.progress import NO_PROGRESS, Progress

NAME = "kafka"
MIN_JAVA = 17  # Kafka 4 brokers need Java 17
_STAMP = ".pom-sha256"


def java_major(java: str) -> int | None:
    result = subprocess.run([java, "-version"], check=False, capture_output=True, text=True)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    # Java 8 and older call themselves "1.8".
    return int(match.group(2) or 0) if major == 1 else major


def find_java() -> str:
    """The java command to run the broker with, or a clear reason why there is none."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if java is None or not Path(java).is_file():
        raise StackError(
            f"Java {MIN_JAVA} or newer is needed to run Kafka and was not found: install it, "
            "e.g. `sudo apt-get install -y openjdk-17-jre-headless`"
        )
    major = java_major(java)
    if major is None or major < MIN_JAVA:
        raise StackError(
            f"Kafka needs Java {MIN_JAVA} or newer; {java} is version {major or 'unknown'}: "
            "install a newer one (e.g. openjdk-17-jre-headless) or set JAVA_HOME to it"
        )
    return java


def _pom_digest(pom: Path) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def jars_ready(libs: Path, pom: Path) -> bool:
    stamp = libs / _STAMP
    return stamp.is_file() and stamp.read_text().strip() == _pom_digest(pom)


def ensure_jars(libs: Path, pom: Path, progress: Progress = NO_PROGRESS) -> Path:
    """The folder of the broker's jars, fetching them with Maven the first time."""
    if jars_ready(libs, pom):
        return libs
    libs.parent.mkdir(parents=True, exist_ok=True)
    # `make up` and a test session may both arrive here on a fresh machine: one fetches.
    with (libs.parent / "libs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not jars_ready(libs, pom):
            progress(NAME, "downloading the Kafka jars with Maven (first run only)")
            _download(libs, pom)
    return libs


def _download(libs: Path, pom: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError(
            "Maven (mvn) is needed once to fetch the Kafka jars and was not found: install it, "
            "e.g. `sudo apt-get install -y maven`"
        )
    staging = libs.with_name(f"{libs.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    argv = [
        mvn, "-q", "-B", "-f", str(pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]  # fmt: skip
    result = subprocess.run(argv, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        raise StackError("Maven could not fetch the Kafka jars", log_tail="\n".join(output[-30:]))
    (staging / _STAMP).write_text(_pom_digest(pom) + "\n")
    # Swap in one rename, so that an interrupted download never looks complete.
    shutil.rmtree(libs, ignore_errors=True)
    staging.rename(libs)
