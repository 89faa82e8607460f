"""Benchmark of exporting the client list: the whole large tenant to CSV and to XLSX.

Needs the tenant `customers_list.py` fills (run it first). The export only reads, but it
reads for a minute or more, so it runs on a copy of that database (made from it as a
template, dropped at the end unless --keep): a copy cannot be made while anyone is
connected to its template. It calls the export's command (`commands.exports.write_export`,
what the export job runs) in this process, into a folder, and reports for each format the
time, the rows and the file's size, and how far the process's resident memory rose above
what it was before the export (sampled every 20 ms). The machine's other work shows in
the time, not in the process's CPU seconds, which are printed too, with the load average.

    make up
    .venv/bin/python benchmarks/customers_list.py --customers 1000000 --runs 30
    .venv/bin/python benchmarks/customer_export.py
"""

import argparse
import asyncio
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from customers_list import ADMIN, APP_URL, TENANT

from clientcard_customers.commands.exports import write_export
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.exports import ExportFormat, ExportRequest, chosen_columns
from clientcard_customers.service import SERVICE
from clientcard_customers.storage import FolderStorage
from clientcard_kit.db import Database, migrations

MB = 1024 * 1024


def resident_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class PeakMemory:
    """The highest resident memory seen while the block runs, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self.peak = resident_bytes()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, resident_bytes())


def copy_database(template: str, name: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for attempt in range(30):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER clientcard')
                return
            except psycopg.errors.ObjectInUse:
                # Someone is reading the template; a copy waits until they are done.
                print(f"  {template} is in use, retrying ({attempt + 1})")
                time.sleep(10)
        raise RuntimeError(f"could not copy {template}")


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def export(db: Database, folder: Path, export_format: ExportFormat, page_size: int) -> None:
    request = ExportRequest(ClientFilter(), ClientOrder(), chosen_columns(None), export_format)
    shown = 0

    async def progress(rows: int) -> None:
        nonlocal shown
        if rows - shown >= 250_000:
            shown = rows
            print(f"    {rows:>9,} rows at {time.perf_counter() - started:.1f} s")

    before = resident_bytes()
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    with PeakMemory() as memory:
        stored = await write_export(
            db,
            FolderStorage(folder),
            TENANT,
            uuid.uuid4(),
            request,
            progress,
            zone=ZoneInfo("Europe/Moscow"),
            page_size=page_size,
        )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    (folder / stored.key).unlink()
    print(
        f"  {export_format.value}: {stored.rows:,} rows, {stored.size / MB:,.0f} MB in "
        f"{seconds:.1f} s ({stored.rows / seconds:,.0f} rows/s), {cpu:.1f} s of this "
        f"process's CPU; resident memory {before / MB:,.0f} MB before, peak "
        f"{(memory.peak - before) / MB:,.0f} MB above it; load average {load:.1f} at the "
        f"start, {os.getloadavg()[0]:.1f} at the end"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--template", default="customers_bench")
    parser.add_argument("--database", default="customer_export_bench")
    parser.add_argument("--formats", nargs="+", default=["CSV", "XLSX"])
    parser.add_argument("--page-size", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="keep the copy for another run")
    args = parser.parse_args()
    if not args.keep or not _exists(args.database):
        print(f"copying {args.template} to {args.database}")
        copy_database(args.template, args.database)
    url = APP_URL.format(name=args.database)
    # The copy takes the migrations written since the template was filled.
    migrations.upgrade(SERVICE.migrations, url)
    db = Database(url, pool_size=2, max_overflow=0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for name in args.formats:
                await export(db, Path(folder), ExportFormat(name), args.page_size)
    finally:
        await db.dispose()
        if not args.keep:
            drop_database(args.database)


def _exists(name: str) -> bool:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


if __name__ == "__main__":
    asyncio.run(main())
