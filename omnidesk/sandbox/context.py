"""What every endpoint reads from its request: the store, the knobs, the JSON body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from .dialect import Dialect, Wire
from .errors import ApiError
from .faults import Faults
from .store import Store


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def faults_of(request: Request) -> Faults:
    faults: Faults = request.app.state.faults
    return faults


def dialect_of(request: Request) -> Dialect:
    dialect: Dialect = request.app.state.dialect
    return dialect


def wire_of(request: Request) -> Wire:
    """How to write this request's answer: its dialect, and v1's or i1's shape."""
    return Wire(dialect_of(request), i1=request.url.path.startswith("/api/i1/"))


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip() == "application/x-www-form-urlencoded":
        return dict(await request.form())
    if "json" not in content_type:
        raise ApiError(415, {"detail": f'Unsupported media type "{content_type}" in request.'})
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, {"detail": f"JSON parse error - {exc}"}) from exc
