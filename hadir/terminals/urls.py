"""/iclock/: the ADMS push endpoints real terminals call, and the terminal health pages.

Devices send `cdata`, `cdata.aspx`, `cdata/` alike (firmwares differ): each pattern accepts all three,
so Django's APPEND_SLASH never redirects a terminal.
"""

from django.urls import path, re_path

from . import adms, pages

app_name = "terminals"
urlpatterns = [
    re_path(r"^cdata(?:\.aspx)?/?$", adms.cdata, name="cdata"),
    re_path(r"^getrequest(?:\.aspx)?/?$", adms.getrequest, name="getrequest"),
    re_path(r"^devicecmd(?:\.aspx)?/?$", adms.devicecmd, name="devicecmd"),
    re_path(r"^(?:ping|registry|push)(?:\.aspx)?/?$", adms.ping, name="ping"),
    # The same endpoints with the terminal's push key in the path (server address on the device:
    # https://host/iclock/k/<key>/ — for firmwares and proxies that keep a path).
    re_path(r"^k/(?P<key>[A-Za-z0-9_\-]{16,128})/cdata(?:\.aspx)?/?$", adms.cdata, name="cdata-key"),
    re_path(r"^k/(?P<key>[A-Za-z0-9_\-]{16,128})/getrequest(?:\.aspx)?/?$", adms.getrequest, name="getrequest-key"),
    re_path(r"^k/(?P<key>[A-Za-z0-9_\-]{16,128})/devicecmd(?:\.aspx)?/?$", adms.devicecmd, name="devicecmd-key"),
    re_path(r"^k/(?P<key>[A-Za-z0-9_\-]{16,128})/(?:ping|registry|push)(?:\.aspx)?/?$", adms.ping, name="ping-key"),
    path("pantau/", pages.overview, name="overview"),
    path("pantau/<int:unit_id>/", pages.opd_terminals, name="opd"),
]
