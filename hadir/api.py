"""The one NinjaAPI instance: OpenAPI at /api/openapi.json, docs at /api/docs.

Each app owns a Router in its own api.py; they are mounted here.
"""

from typing import Any

from django.utils import translation
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from hadir.approvals.api import router as approvals_router
from hadir.audit.api import router as audit_router
from hadir.auth import API_AUTH
from hadir.discipline.api import router as discipline_router
from hadir.errors import install_handlers
from hadir.integrity.api import router as integrity_router
from hadir.integrity.review import router as integrity_review_router
from hadir.integrity.rollcall_api import router as integrity_rollcall_router
from hadir.leave.api import router as leave_router
from hadir.mobile.api import router as mobile_router
from hadir.notify.api import router as notify_router
from hadir.org.api import auth_router
from hadir.org.api import router as org_router
from hadir.org.throttle import PerAccountThrottle
from hadir.parsing import HadirParser
from hadir.presence.api import router as presence_router
from hadir.reports.api import router as reports_router
from hadir.schedules.api import router as schedules_router
from hadir.terminals.api import router as terminals_router
from hadir.tpp.api import router as tpp_router
from hadir.web.api import router as web_router


class HadirAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document is built once per path prefix and language, not on every request
    (building it walks every operation's pydantic schemas: ~150 ms of CPU here, measured in-process)."""

    _schemas: dict[tuple[str, str], OpenAPISchema]

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache = self.__dict__.setdefault("_schemas", {})
        key = (path_prefix, translation.get_language() or "")
        if key not in cache:
            cache[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return cache[key]


api = HadirAPI(
    title="Hadir API",
    version="1",
    description="API e-presensi Hadir untuk klien web dan Android. Pesan galat dalam Bahasa Indonesia; "
    "kirim `Accept-Language: en` untuk bahasa Inggris. Operasi dengan isian formulir (multipart/form-data) "
    "juga menerima isian yang sama sebagai satu objek JSON (application/json); berkas hanya lewat multipart.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=HadirParser(),
    throttle=[PerAccountThrottle()],  # HADIR_API_USER_RATE per signed-in account (hadir/org/throttle.py)
)
install_handlers(api)

api.add_router("/auth", auth_router)
api.add_router("/org", org_router)
api.add_router("/schedules", schedules_router)
api.add_router("/presence", presence_router)
api.add_router("/terminals", terminals_router)
api.add_router("/approvals", approvals_router)
api.add_router("/leave", leave_router)
api.add_router("/integrity", integrity_router)
api.add_router("/audit", audit_router)
api.add_router("/dashboard", web_router)
api.add_router("/tpp", tpp_router)
api.add_router("/discipline", discipline_router)
api.add_router("/reports", reports_router)
api.add_router("/integrity", integrity_review_router)
api.add_router("/integrity", integrity_rollcall_router)
api.add_router("/mobile", mobile_router)
api.add_router("/notifications", notify_router)
