"""The govlab service on a real JupyterHub (deploy/jupyterhub_config.py), PostgreSQL behind it."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from govlab.errors import PermissionDenied
from govlab.service.client import connect
from govlab.service.wire import NotSignedIn

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def post(cohort: Any, who: str | None, method: str, token: str | None = None, **body: Any) -> Any:
    """A call through the hub's proxy, as a browser-less client would send it."""
    token = token or (cohort.tokens[who] if who else None)
    headers = {"Authorization": f"token {token}"} if token else {}
    url = f"{cohort.hub.service_url}api/v1/{method}"
    return httpx.post(url, json=body, headers=headers, timeout=30)


def test_a_participant_cannot_touch_another_participants_work(cohort: Any) -> None:
    ana = cohort.names["ana"]
    draft = cohort.client("ana").create(
        {"id": "hub-night-buses", "title": "Night buses on demand"}, why="first go"
    )
    assert (draft.author, draft.status.value) == (ana, "draft")

    edit = post(cohort, "bo", "edit", practice_id=draft.id, changes={"title": "Mine now"})
    assert edit.status_code == 403
    assert edit.json() == {
        "error": "PermissionDenied",
        "message": "Only admins can edit another member's draft; bo is a member.",
    }
    publish = post(cohort, "bo", "publish", practice_id=draft.id)
    assert publish.status_code == 403
    assert publish.json()["message"] == (
        "Only reviewers, facilitators and admins can publish a practice with enough "
        "approving reviews; bo is a member."
    )
    read = post(cohort, "bo", "get", practice_id=draft.id)
    assert read.status_code == 403
    assert read.json()["message"] == (
        "Practice 'hub-night-buses' is not published yet. Only admins can read another "
        "member's draft before it is submitted; bo is a member."
    )

    adoption = cohort.client("ana").adopt("nyc-311", "Leeds", note="pilot in two wards")
    check_in = post(
        cohort, "bo", "check_in", adoption_id=adoption.id, day="2026-03-02", status="live",
        progress=50,
    )  # fmt: skip
    assert check_in.status_code == 403
    assert check_in.json()["message"] == "No one can check in on another member's adoption."
    # the client raises the same class with the same message as a local session
    with pytest.raises(PermissionDenied, match="^Only admins can edit another member's draft"):
        cohort.client("bo").edit(draft.id, {"title": "Mine now"})
    assert cohort.client("ana").get(draft.id).title == "Night buses on demand"  # unchanged


def test_a_facilitator_publishes_after_two_reviews(cohort: Any) -> None:
    fay = cohort.client("fay")
    assert str(fay.role) == "facilitator"  # the hub's facilitators group, mapped by the service
    for reviewer in ("rev-a", "rev-b"):
        assert str(cohort.client(reviewer).role) == "member"  # they join on signing in ...
        assert (
            fay.grant(reviewer, "reviewer").role == "reviewer"
        )  # ... and fay makes them reviewers
    ana = cohort.client("ana")
    pid = ana.create({"id": "hub-one-stop", "title": "One-stop permits desk"}).id
    ana.submit(pid, "ready for review")
    rubric = {"evidence": 4, "transferability": 3, "clarity": 4, "impact": 3}
    cohort.client("rev-a").review(pid, **rubric, evidence_level=3, decision="approve")
    with pytest.raises(Exception, match="has 1 approving review"):
        fay.publish(pid)
    cohort.client("rev-b").review(pid, **rubric, evidence_level=4, decision="approve")
    published = fay.publish(pid, "two approvals")
    assert (published.status.value, published.evidence_level) == ("published", 3)  # median_low
    assert cohort.client("bo").get(pid).title == "One-stop permits desk"  # now everyone's
    grants = [e for e in fay.audit_log(action="member.grant") if e.target == "fay"]
    assert [(e.actor, e.after) for e in grants] == [("lead", {"role": "facilitator"})]


def test_tokens_the_service_refuses(cohort: Any) -> None:
    expiring = cohort.hub.token(cohort.names["bo"], expires_in=1)
    narrow = cohort.hub.token(cohort.names["bo"], scopes=["read:users:name!user"])
    time.sleep(2.5)
    refused = {
        "none": post(cohort, None, "stats"),
        "forged": post(cohort, None, "stats", token="0123456789abcdef0123456789abcdef"),
        "forged govlab_": post(cohort, None, "stats", token="govlab_" + "x" * 43),
        "expired": post(cohort, None, "stats", token=expiring),
        "another service's": post(cohort, None, "stats", token=cohort.hub.other_service_token),
        "without access to govlab": post(cohort, None, "stats", token=narrow),
    }
    for kind, reply in refused.items():
        assert reply.status_code == 401, (kind, reply.text)
        assert reply.json()["error"] == "NotSignedIn", kind
        assert reply.headers["WWW-Authenticate"] == "token", kind
    assert "Sign in first" in refused["none"].json()["message"]
    assert "does not accept this token" in refused["expired"].json()["message"]
    assert post(cohort, "bo", "stats").status_code == 200  # bo's own token still works
    with pytest.raises(NotSignedIn, match="does not accept this token"):
        connect(cohort.hub.service_url, token=expiring)


def test_the_openapi_document_through_the_hub_is_valid(cohort: Any) -> None:
    from openapi_spec_validator import validate

    reply = httpx.get(f"{cohort.hub.service_url}api/v1/openapi.json", timeout=30)
    document = reply.json()
    validate(document)
    assert "/services/govlab/api/v1/publish" in document["paths"]
    assert document["paths"]["/services/govlab/api/v1/get"]["post"]["x-govlab-read"] is True


KERNEL_CHECK = """
import json, os, pathlib
import psycopg
from jupyter_core.paths import jupyter_config_path

found = {"env": dict(os.environ), "files": {}, "unreadable": [], "connect": {}, "secret": {}}
roots = [pathlib.Path.home(), *map(pathlib.Path, jupyter_config_path())]
for root in roots:
    for path in (root.rglob("*") if root.is_dir() else []):
        if path.is_file():
            try:
                found["files"][str(path)] = path.read_bytes()[:400_000].decode("utf-8", "replace")
            except OSError:
                found["unreadable"].append(str(path))
attempts = {
    "tcp as the service's role": dict(host="127.0.0.1", port=PORT, user="govlab_service"),
    "tcp as postgres": dict(host="127.0.0.1", port=PORT, user="postgres"),
    "unix socket": dict(host=SOCKET, port=PORT, user="govlab_service"),
}
for name, where in attempts.items():
    try:
        psycopg.connect(dbname="govlab", connect_timeout=5, **where).close()
        found["connect"][name] = "connected"
    except psycopg.Error as error:
        found["connect"][name] = type(error).__name__ + ": " + str(error).strip()
for path in SECRETS:
    try:
        pathlib.Path(path).read_bytes()
        found["secret"][path] = "read"
    except OSError as error:
        found["secret"][path] = type(error).__name__
import govlab
library = govlab.open_library()  # no arguments: the hub's service, as in any notebook
found["library"] = [type(library).__name__, library.member, library.search("311").total]
print(json.dumps(found))
"""


def test_a_kernel_holds_no_credentials_and_postgres_refuses_it(cohort: Any) -> None:
    import psutil

    hub, ana = cohort.hub, cohort.names["ana"]
    service_pid = next(
        c.pid for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == hub.service_port
        and c.status == psutil.CONN_LISTEN
    )  # fmt: skip
    secrets = [str(hub.state / "db-url"), f"/proc/{service_pid}/environ", str(hub.log)]
    code = (
        KERNEL_CHECK.replace("PORT", str(hub.database.port))
        .replace("SOCKET", repr(hub.database.socket_dir))
        .replace("SECRETS", repr(secrets))
    )
    hub.start_server(ana)
    found = json.loads(hub.run_in_kernel(ana, cohort.tokens["ana"], code))

    password, url = hub.database.password, hub.database.url
    env = found["env"]
    assert env["USER"] == ana or env.get("JUPYTERHUB_USER") == ana
    assert "GOVLAB_DB_URL" not in env and not [k for k, v in env.items() if password in v]
    assert not [k for k, v in env.items() if "postgresql" in v.lower()]
    assert found["files"], "the kernel read no file at all: the check itself is broken"
    holding = [path for path, text in found["files"].items() if password in text or url in text]
    assert holding == []
    assert found["secret"] == dict.fromkeys(secrets, "PermissionError")
    for attempt, result in found["connect"].items():
        assert result.startswith("OperationalError"), (attempt, result)
    assert "password" in found["connect"]["tcp as the service's role"]
    assert "Permission denied" in found["connect"]["unix socket"]
    assert found["library"][:2] == ["ServiceLibrary", ana]
    assert found["library"][2] >= 1  # the seed library has 311 practices


def test_a_browser_signs_in_with_hub_oauth(cohort: Any, page: Any, tmp_path: Any) -> None:
    hub = cohort.hub
    page.goto(f"{hub.url}hub/login")
    page.fill("input#username_input", "bo")
    page.fill("input#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url("**/hub/**")
    page.goto(hub.service_url)  # -> hub OAuth -> oauth_callback -> the service's page
    page.wait_for_selector("text=You are signed in as")
    assert "bo (member)" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "service-signed-in.png"), full_page=True)

    who = page.evaluate("fetch('api/v1/whoami').then(r => r.json())")
    assert (who["member"], who["via"]) == ("bo", "cookie")
    script = """async (xsrf) => {
        const headers = {"Content-Type": "application/json"};
        if (xsrf) headers["X-Govlab-XSRF"] = document.cookie.match(/govlab-xsrf=([^;]+)/)[1];
        const r = await fetch("api/v1/follow", {method: "POST", headers,
            body: JSON.stringify({topic: "transit"})});
        return [r.status, await r.json()];
    }"""
    status, body = page.evaluate(script, False)
    assert (status, body["error"]) == (401, "NotSignedIn")  # a cookie alone cannot write
    status, body = page.evaluate(script, True)
    assert (status, body) == (200, ["transit"])
