"""desk/security.py: the passcode, the throttle on guesses, CSRF, the size cap, headers."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handouts.desk.security import (
    CSP,
    MAX_BODY_BYTES,
    passcode_file,
    passcode_matches,
    set_passcode,
    stored_hash,
)
from handouts.errors import HandoutsError
from tests.desk.conftest import csrf


def test_the_passcode_is_an_scrypt_hash_outside_data_readable_by_its_owner(project: Path) -> None:
    target = set_passcode(project / "data", "reception desk 7")
    assert target == passcode_file(project / "data")
    assert (project / "data") not in target.parents
    stored = stored_hash(project / "data")
    assert stored is not None and stored.startswith("scrypt:")
    assert "reception desk 7" not in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0
    assert passcode_matches(stored, "reception desk 7")
    assert not passcode_matches(stored, "reception desk 8")


def test_a_short_passcode_is_refused(project: Path) -> None:
    with pytest.raises(HandoutsError, match="too short"):
        set_passcode(project / "data", "1234")
    assert stored_hash(project / "data") is None


def test_every_page_carries_the_security_headers_and_no_store(client: TestClient) -> None:
    for page in ("/sheet", "/flyers", "/content", "/no-such-page"):
        response = client.get(page)
        assert response.headers["content-security-policy"] == CSP, page
        assert "script-src 'self';" in CSP and "'unsafe-inline'" not in CSP
        assert "frame-ancestors 'none'" in CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


def test_the_session_cookie_is_httponly_and_samesite_strict(client: TestClient) -> None:
    cookie = client.get("/sheet").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_the_session_cookie_is_secure_when_served_over_https(project: Path) -> None:
    from handouts.desk.app import create_app

    app = create_app(project / "data", project / "fonts")
    with TestClient(app, base_url="https://localhost") as over_tls:
        assert "; secure" in over_tls.get("/sheet").headers["set-cookie"].lower()


def test_without_a_passcode_a_request_for_another_host_name_is_refused(
        project: Path) -> None:
    from handouts.desk.app import create_app

    app = create_app(project / "data", project / "fonts")
    with TestClient(app, base_url="http://rebound.example.com:8765") as elsewhere:
        answer = elsewhere.get("/today")
    assert answer.status_code == 421 and "Appointments" not in answer.text


@pytest.mark.parametrize("host", ["http://localhost:8765", "http://127.0.0.1:8765",
                                  "http://[::1]:8765"])
def test_without_a_passcode_this_computers_own_names_are_answered(project: Path,
                                                                  host: str) -> None:
    from handouts.desk.app import create_app

    app = create_app(project / "data", project / "fonts")
    with TestClient(app, base_url=host) as here:
        assert here.get("/today").status_code == 200


def test_the_session_cookie_is_not_marked_secure_over_plain_http(client: TestClient) -> None:
    assert "secure" not in client.get("/sheet").headers["set-cookie"].lower()


@pytest.mark.parametrize("page", ["/sheet", "/flyers", "/signout", "/signin"])
def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client: TestClient,
                                                              page: str) -> None:
    good = csrf(client)
    assert client.post(page, data={"client": "Emma"}).status_code == 403
    assert client.post(page, data={"csrf": good + "x", "client": "Emma"}).status_code == 403
    assert client.post(page, data={"csrf": "", "client": "Emma"}).status_code == 403


def test_every_state_changing_route_is_a_post_that_checks_the_token(client: TestClient) -> None:
    routes = [(route.path, route.methods) for route in client.app.routes  # type: ignore[attr-defined]
              if getattr(route, "methods", None)]
    posts = [path for path, methods in routes if "POST" in methods]
    assert posts, routes
    for path in posts:
        address = path.replace("{booking:int}", "1")
        assert client.post(address, data={}).status_code == 403, path


def test_a_request_larger_than_the_cap_is_refused_before_it_is_read(client: TestClient) -> None:
    token = csrf(client)
    response = client.post("/sheet", data={"csrf": token, "notes": "x" * (MAX_BODY_BYTES + 1)})
    assert response.status_code == 413
