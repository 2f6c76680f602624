"""How the API reads request bodies: django-ninja's Parser, with one addition — a JSON object may stand in
for form fields.

An operation that takes `Form[SomeSchema]` (and optionally `File[UploadedFile]`) therefore accepts both

- multipart/form-data or application/x-www-form-urlencoded: the fields as form fields, files beside them;
- application/json: the same fields as one JSON object (no files: those travel only in multipart).

Both go through the same schema and the same validation; `json_alternative(SomeSchema)` adds the JSON
request body to the operation's OpenAPI description next to the form one ninja writes. POST
/api/presence/checkins is served this way (the Android app sends JSON, or multipart with a selfie).

Other rules, for every operation:

- a body that is not JSON is a 400 "Isi permintaan bukan JSON yang valid.";
- in form data a blank field counts as not sent (its default applies, or it is reported missing);
- a file field sent more than once is refused (422) instead of keeping one of the files silently.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.parser import Parser
from ninja.schema import NinjaGenerateJsonSchema

from hadir.errors import InvalidRequest, Unprocessable

FORM_CONTENT_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _json(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body)  # RequestDataTooBig is answered 413 by hadir.errors
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest(_("Isi permintaan bukan JSON yang valid."), code="bad_json") from None


class HadirParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], _json(request))

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        if data is request.GET:
            return super().parse_querydict(data, list_fields, request)
        if data is request.FILES:
            for key in data:
                if key not in list_fields and len(data.getlist(key)) > 1:
                    raise Unprocessable(_("Kirim paling banyak satu berkas untuk %(field)s.") % {"field": key},
                                        field=key, code="file_count")
            return super().parse_querydict(data, list_fields, request)
        if request.content_type not in FORM_CONTENT_TYPES:  # form parameters, sent as a JSON object
            body = _json(request) if request.body else None
            if not isinstance(body, dict):
                raise Unprocessable(_("Isi permintaan harus berupa objek JSON."), code="bad_json")
            return body
        for key, values in data.lists():  # multipart text fields (the middleware leaves multipart bodies alone)
            if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
                raise InvalidRequest(_("Masukan berisi karakter NUL (\\0) yang tidak diizinkan."), field=key,
                                     code="nul_byte")
        parsed = super().parse_querydict(data, list_fields, request)
        return {key: value for key, value in parsed.items() if value != ""}


def json_alternative(schema: type[Schema]) -> dict[str, Any]:
    """`openapi_extra` for an operation taking `Form[schema]`: documents the same fields as a JSON body."""
    json_schema = schema.model_json_schema(schema_generator=NinjaGenerateJsonSchema)
    assert "$defs" not in json_schema, "form schemas are flat"
    return {"requestBody": {"content": {"application/json": {"schema": json_schema}}}}
