"""`python -m clientcard_devstack.chaos`: run the fault suite and report what it counted."""

import argparse
import asyncio
import json
import logging
import sys
import tempfile
from pathlib import Path

from clientcard_devstack.chaos.cluster import FAULTS, running_cluster
from clientcard_devstack.chaos.suite import SHORT, PhaseResult, Plan, report, run_phase


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clientcard_devstack.chaos")
    parser.add_argument("--short", action="store_true", help="the short form make test runs")
    parser.add_argument("--faults", nargs="+", choices=FAULTS, default=list(FAULTS))
    parser.add_argument("--json", type=Path, help="write the results here as JSON too")
    parser.add_argument("--state", type=Path, help="keep the logs in this folder")
    args = parser.parse_args(argv)
    # The tills' Kafka client complains of every refused connection while the broker is
    # down; the report says what came of it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    plan = SHORT if args.short else Plan()
    if args.state:
        args.state.mkdir(parents=True, exist_ok=True)
        results = asyncio.run(_run(args.state, args.faults, plan))
    else:
        with tempfile.TemporaryDirectory(prefix="clientcard-chaos-") as state:
            results = asyncio.run(_run(Path(state), args.faults, plan))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in results], indent=2))
    return 0 if all(result.tally.whole for result in results) else 1


async def _run(state: Path, faults: list[str], plan: Plan) -> list[PhaseResult]:
    results = []
    with running_cluster(state) as cluster:
        for phase, fault in enumerate(faults):
            print(f"fault {phase + 1}/{len(faults)}: {fault}", file=sys.stderr, flush=True)
            results.append(await run_phase(cluster, fault, phase, plan))
            if not results[-1].tally.whole:
                print(json.dumps(results[-1].as_dict(), indent=1), file=sys.stderr)
    return results


if __name__ == "__main__":
    sys.exit(main())
