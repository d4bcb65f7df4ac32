"""The OpenAPI document says what the API really does: schemathesis generates requests from it and checks
every answer — no 5xx, status codes, content types and headers as documented, bodies matching their
schemas. (Its "valid data must be accepted" checks are left out: a 文号 that parses as text but names no
document is rightly a 404, and blank filters mean "no filter" for the sake of browser forms.)"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import (  # noqa: E402
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from websupport import archive_dir  # noqa: E402

from gongbao.web.app import create_app  # noqa: E402

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(archive_dir()))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@schema.parametrize()
@settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case) -> None:
    case.call_and_validate(checks=CHECKS)
