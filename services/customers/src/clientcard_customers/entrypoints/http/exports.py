"""Downloading a finished export by its link: `GET /exports/{job_id}/{file_name}`.

The link carries its tenant, expiry and signature (`commands.exports.download_url`) and
needs no token, so it can be opened in a browser or with curl. A link whose values do not
match its signature (forged, or changed to name another tenant or file) gets 403; a
genuine link past its expiry gets 410; a genuine link to a file that is not there (yet)
gets 404.
"""

import time
import uuid
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from clientcard_customers.commands.exports import link_subject
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import export_key, export_storage
from clientcard_kit.runtime import ServiceRuntime
from clientcard_kit.signed_links import LinkCheck, LinkSigner

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def exports_router(runtime: ServiceRuntime[CustomersSettings]) -> APIRouter:
    router = APIRouter(tags=["exports"])
    storage = export_storage(runtime.settings)
    signer = LinkSigner(runtime.settings.exports_link_secret.get_secret_value())

    @router.get("/exports/{job_id}/{file_name}")
    async def download(
        job_id: uuid.UUID,
        file_name: str,
        tenant: str = Query(min_length=1, max_length=200),
        expires: int = Query(),
        signature: str = Query(max_length=128),
    ) -> StreamingResponse:
        subject = link_subject(tenant, job_id, file_name)
        checked = signer.check(subject, expires, signature, now=time.time())
        if checked is LinkCheck.FORGED:
            raise HTTPException(403, "this link was not issued by the service")
        if checked is LinkCheck.EXPIRED:
            raise HTTPException(410, "this link has expired; export the list again")
        key = export_key(tenant, job_id, file_name)
        size = await storage.size(key)
        if size is None:
            raise HTTPException(404, "the export is not there")
        extension = file_name.rpartition(".")[2]
        return StreamingResponse(
            storage.chunks(key),
            media_type=MEDIA_TYPES.get(extension, "application/octet-stream"),
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
                "Content-Length": str(size),
                "Cache-Control": "private, no-store",
            },
        )

    return router
