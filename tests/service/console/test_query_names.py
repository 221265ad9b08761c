"""Every console page refuses a query parameter it does not read, instead of ignoring it."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from service.runtime import Runtime
from tests.service.console.admin_helpers import signed_in


class TestUnknownParameters:
    @pytest.mark.parametrize(
        ("role", "path"),
        [
            ("rep", "/console/prospects?owner_id=2"),
            ("compliance", "/console/requests?email=anna@example.com"),
            ("admin", "/console/users?role=rep"),
            ("compliance", "/console/policies?name=default"),
            ("compliance", "/console/audit?limit=5"),
        ],
    )
    def test_a_filtered_page_names_the_parameter_it_does_not_know(
        self, client: TestClient, runtime: Runtime, role: str, path: str
    ) -> None:
        signed_in(client, runtime, role)
        response = client.get(path)
        assert response.status_code == 400
        assert "text/html" in response.headers["content-type"]
        name = path.split("?", 1)[1].split("=", 1)[0]
        assert f"The query parameter “{name}” is not known here" in response.text

    def test_the_parameters_a_page_declares_still_work(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        signed_in(client, runtime, "rep")
        assert client.get("/console/prospects?q=anna&page=1").status_code == 200

    def test_the_sign_in_pages_next_is_still_read(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        signed_in(client, runtime, "rep")
        assert client.get("/login?next=/console/prospects").status_code in (200, 303)
