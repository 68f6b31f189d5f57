"""The spreadsheet import endpoint: upload a file, then read its job's status by cache key."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .auth import authenticate, may_change
from .context import dialect_of, faults_of, store_of
from .dialect import OTHER_STATUS_WORDS, Dialect
from .errors import ApiError, bad_filter, method_not_allowed, not_found
from .imports import run_import


def import_status_body(job: dict[str, Any], dialect: Dialect) -> dict[str, Any]:
    if dialect.status_words == "other":
        # V10: another queue's words, no progress figure and no counters; only the
        # row errors, once the job has ended.
        body: dict[str, Any] = {
            "cache_key": job["cache_key"],
            "status": OTHER_STATUS_WORDS[job["status"]],
        }
        if job["status"] in ("SUCCESS", "FAILURE"):
            body["errors"] = job["errors"]
        return body
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
        username = authenticate(request)
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
            return JSONResponse(import_status_body(job, dialect_of(request)))
        if request.method == "POST":
            may_change(request, username, kind, list_pk)
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
            # V9: 200 [ours], or the 201/202 other servers answer a queued job with.
            status = dialect_of(request).upload_status
            return JSONResponse({"cache_key": cache_key}, status_code=status)
        raise method_not_allowed(request, ("GET", "POST", "HEAD", "OPTIONS"))

    return excel_import
