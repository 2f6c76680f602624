"""Fixtures for the check-in tests: API clients with bearer tokens (the clock is the root conftest's `clock`)."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from hadir.org.tokens import issue_token

WIB = dt.timezone(dt.timedelta(hours=7))


@dataclass
class ApiClient:
    client: Client
    token: str
    lang: str = "id"

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept-Language": self.lang, **(extra or {})}

    def post(self, path: str, data: dict[str, Any] | list[Any] | str, **headers: str) -> Any:
        body = data if isinstance(data, str) else json.dumps(data, default=str)
        return self.client.post(f"/api/presence{path}", body, content_type="application/json",
                                headers=self._headers(headers))

    def post_multipart(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/presence{path}", data, headers=self._headers())

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/presence{path}", params, headers=self._headers())


@pytest.fixture
def api_for(org: Any) -> Any:
    def make(user: Any, lang: str = "id") -> ApiClient:
        return ApiClient(Client(), issue_token(user, "test"), lang)

    return make


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (320, 240)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 150, 100)).save(buf, format=fmt)
    return buf.getvalue()
