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
    path("pantau/", pages.overview, name="overview"),
    path("pantau/<int:unit_id>/", pages.opd_terminals, name="opd"),
]
