"""The sandbox's error answers: DRF's bodies, raised from anywhere in a request."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

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


async def handle_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return JSONResponse(exc.body, status_code=400)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return JSONResponse({"detail": "Not found."}, status_code=404)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def handle_server_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"detail": "A server error occurred."}, status_code=500)
