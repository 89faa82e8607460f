"""Where finished exports are kept until they expire, whatever keeps them.

A stored export is named by a key `<tenant>/<job id>/<file name>`; the tenant comes first
so that a key built for one tenant can never name another's file.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import BinaryIO, Protocol

CHUNK_BYTES = 1024 * 1024


def export_key(tenant: str, job_id: uuid.UUID, file_name: str) -> str:
    for part in (tenant, file_name):
        if not part or "/" in part or "\\" in part or part in (".", ".."):
            raise ValueError(f"not a part of an export's key: {part!r}")
    return f"{tenant}/{job_id}/{file_name}"


class ExportStorage(Protocol):
    def writing(self, key: str) -> AbstractAsyncContextManager[BinaryIO]:
        """A file to write the export into; stored under `key` when the block ends without
        an error (nothing is stored otherwise)."""
        ...

    async def size(self, key: str) -> int | None:
        """The stored file's size in bytes; None when nothing is stored under `key`."""
        ...

    def chunks(self, key: str) -> AsyncIterator[bytes]:
        """The stored file's content, a chunk at a time."""
        ...

    async def remove_stored_before(self, moment: datetime) -> int:
        """Remove every file stored before `moment`; how many were removed."""
        ...
