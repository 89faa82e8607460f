"""Exports kept in a folder of the machine (one replica, or a shared volume)."""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from clientcard_customers.storage.base import CHUNK_BYTES

PARTIAL = ".partial"
FOLDER_GRACE_SECONDS = 60.0


class FolderStorage:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    @asynccontextmanager
    async def writing(self, key: str) -> AsyncIterator[BinaryIO]:
        target = self._path(key)
        # Written under another name and renamed when done: a reader never finds half a file.
        partial = target.with_name(target.name + PARTIAL)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        file = await asyncio.to_thread(partial.open, "wb")
        try:
            yield file
        except BaseException:
            file.close()
            partial.unlink(missing_ok=True)
            raise
        file.close()
        await asyncio.to_thread(os.replace, partial, target)

    async def size(self, key: str) -> int | None:
        try:
            return (await asyncio.to_thread(self._path(key).stat)).st_size
        except FileNotFoundError:
            return None

    async def chunks(self, key: str) -> AsyncIterator[bytes]:
        file = await asyncio.to_thread(self._path(key).open, "rb")
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
                yield chunk
        finally:
            file.close()

    async def remove_stored_before(self, moment: datetime) -> int:
        return await asyncio.to_thread(self._remove_before, moment.timestamp())

    def _remove_before(self, stamp: float) -> int:
        removed = 0
        # A folder is left alone for a while after its last change: a writer may have just
        # made it for its file. An emptied folder goes at a later sweep.
        settled = time.time() - FOLDER_GRACE_SECONDS
        for folder, _, files in os.walk(self._root, topdown=False):
            for name in files:
                path = Path(folder, name)
                with suppress(FileNotFoundError):
                    if path.stat().st_mtime < stamp:
                        path.unlink()
                        removed += not name.endswith(PARTIAL)
            if Path(folder) != self._root:
                with suppress(OSError):
                    if Path(folder).stat().st_mtime < settled:
                        Path(folder).rmdir()  # fails unless empty
        return removed

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root):
            raise ValueError(f"not a key of this storage: {key!r}")
        return path
