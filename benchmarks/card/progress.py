"""Progress of a run: on stderr with the time of day, so that stdout is the report alone."""

import sys
from datetime import datetime


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)
