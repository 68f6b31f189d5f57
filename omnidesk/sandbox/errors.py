"""The sandbox's error answers: DRF's bodies, raised from anywhere in a request,
written in the dialect's envelope (V1) on the way out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .dialect import Dialect, error_body
from .validation import ValidationError


class ApiError(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers


def not_found() -> ApiError:
    return ApiError(404, {"detail": "Not found."})


def bad_filter(name: str, message: str) -> ApiError:
    return ApiError(400, {name: [message]})


def method_not_allowed(request: Request, allowed: tuple[str, ...]) -> ApiError:
    return ApiError(
        405,
        {"detail": f'Method "{request.method}" not allowed.'},
        {"Allow": ", ".join(allowed)},
    )


def answer(
    request: Request, status: int, body: Any, headers: Mapping[str, str] | None = None
) -> Response:
    dialect: Dialect = request.app.state.dialect
    return JSONResponse(error_body(status, body, dialect), status_code=status, headers=headers)


async def handle_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return answer(request, exc.status, exc.body, exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return answer(request, 400, exc.body)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return answer(request, 404, {"detail": "Not found."})
    return answer(request, exc.status_code, {"detail": exc.detail}, exc.headers)


async def handle_server_error(request: Request, exc: Exception) -> Response:
    return answer(request, 500, {"detail": "A server error occurred."})
