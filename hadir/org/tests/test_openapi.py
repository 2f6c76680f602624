"""The OpenAPI document describes each endpoint with its own schemas: no two routers' schemas share a name.

OpenAPI keys schemas by class name only; two pydantic models called `TodayOut` in two routers would land on
one entry, and one of the endpoints would be documented with the other's fields.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from hadir.api import api


def _models(annotation: Any, found: dict[str, set[type[BaseModel]]], seen: set[Any]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found, seen)
    elif isinstance(annotation, typing._GenericAlias | types.GenericAlias | types.UnionType):  # type: ignore[attr-defined]
        for arg in typing.get_args(annotation):
            _models(arg, found, seen)
    elif typing.get_origin(annotation) is typing.Annotated:
        _models(typing.get_args(annotation)[0], found, seen)


def models_by_name() -> dict[str, set[type[BaseModel]]]:
    """Every pydantic model an operation reads or answers with (nested ones too), by class name."""
    found: dict[str, set[type[BaseModel]]] = defaultdict(set)
    seen: set[Any] = set()
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                # ninja wraps the parameters and each response in models of its own: look inside them
                wrappers = [*operation.models, *(r for r in operation.response_models.values() if isinstance(r, type))]
                for wrapper in wrappers:
                    for field in wrapper.model_fields.values():
                        _models(field.annotation, found, seen)
    return found


def test_every_schema_name_is_one_model() -> None:
    clashes = {name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
               for name, models in models_by_name().items() if len(models) > 1}
    assert clashes == {}


def test_each_component_has_the_fields_of_its_model() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    by_name = models_by_name()
    checked = 0
    for name, schema in schemas.items():
        if name not in by_name:
            continue
        (model,) = by_name[name]
        names = {field.alias or key for key, field in model.model_fields.items()} | set(model.model_fields)
        assert set(schema.get("properties", {})) <= names, name
        assert len(schema.get("properties", {})) == len(model.model_fields), name
        checked += 1
    assert checked >= 40


def _response_schema(path: str, method: str = "get", status: int = 200) -> dict[str, Any]:
    spec = api.get_openapi_schema()
    ref = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]


def test_the_pairs_that_once_clashed_are_told_apart() -> None:
    presence_today = _response_schema("/api/presence/today")
    dashboard_today = _response_schema("/api/dashboard/today")
    assert presence_today["title"] == "PresenceTodayOut" and "checkins" in presence_today["properties"]
    assert dashboard_today["title"] == "DashboardTodayOut" and "opds" in dashboard_today["properties"]

    approvals_inbox = _response_schema("/api/approvals/inbox")
    notifications = _response_schema("/api/notifications")
    assert approvals_inbox["title"] == "ApprovalInboxOut" and "count" in approvals_inbox["properties"]
    assert notifications["title"] == "NotificationInboxOut" and "unread" in notifications["properties"]

    schemas = api.get_openapi_schema()["components"]["schemas"]
    org_employee = schemas["EmployeeOut"]
    dashboard_employee = schemas["DashboardEmployeeOut"]
    assert "position_name" in org_employee["properties"] and "status" not in org_employee["properties"]
    assert "status" in dashboard_employee["properties"] and "position_name" not in dashboard_employee["properties"]
    for gone in ("TodayOut", "InboxOut", "LocationOut", "WindowOut", "WorkDayOut"):
        assert gone not in schemas
