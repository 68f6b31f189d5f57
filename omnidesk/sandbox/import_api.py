"""The spreadsheet import endpoint: upload a file, then read its job's status by cache key."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import authenticate
from .context import faults_of, store_of
from .errors import ApiError, bad_filter, method_not_allowed, not_found
from .imports import run_import


def import_status_body(job: dict[str, Any]) -> dict[str, Any]:
    if job["status"] == "SUCCESS":
        progress = 100
    elif job["total"]:
        progress = job["processed"] * 100 // job["total"]
    else:
        progress = 0
    return {
        "cache_key": job["cache_key"],
        "status": job["status"],
        "progress": progress,
        "total": job["total"],
        "processed": job["processed"],
        "created": job["created"],
        "updated": job["updated"],
        "errors": job["errors"],
        "error_count": job["error_count"],
    }


def import_endpoint(kind: str) -> Any:
    async def excel_import(request: Request) -> Response:
        authenticate(request)
        store = store_of(request)
        list_pk = request.path_params["pk"]
        if store.get_list(kind, list_pk) is None:
            raise not_found()
        if request.method == "GET":
            cache_key = request.query_params.get("cache_key")
            if not cache_key:
                raise bad_filter("cache_key", "This field is required.")
            job = store.get_import_job(cache_key)
            if job is None or job["kind"] != kind or job["list_pk"] != list_pk:
                raise not_found()
            return JSONResponse(import_status_body(job))
        if request.method == "POST":
            form = await request.form(max_files=1, max_fields=100)
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(
                    400,
                    {
                        "non_field_errors": "File not found please provide an appropriate file",
                        "error_code": "file_100_1",
                    },
                )
            data = await upload.read()
            file_name = upload.filename or "upload"
            await form.close()
            cache_key = store.create_import_job(kind, list_pk, file_name)
            task = asyncio.create_task(
                run_import(
                    store,
                    cache_key,
                    kind,
                    list_pk,
                    file_name,
                    data,
                    rows_per_second=faults_of(request).import_rows_per_second,
                )
            )
            tasks: set[asyncio.Task[None]] = request.app.state.import_tasks
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            return JSONResponse({"cache_key": cache_key})
        raise method_not_allowed(request, ("GET", "POST", "HEAD", "OPTIONS"))

    return excel_import
