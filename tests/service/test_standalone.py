"""The service outside a hub: its own tokens, plain errors, retries, and what schemathesis finds."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from govlab.cli import main
from govlab.errors import InvalidInput, PermissionDenied
from govlab.service.client import ServiceLibrary, connect
from govlab.service.wire import NotSignedIn, ServiceError

pytestmark = pytest.mark.postgres


def test_a_members_token_works_for_that_member_only(standalone: Any) -> None:
    bo = standalone.client("bo")
    assert (bo.member, str(bo.role)) == ("bo", "member")
    with pytest.raises(PermissionDenied, match="Your token is bo's: .* not as ana"):
        connect(standalone.url, "ana", token=standalone.tokens["bo"])
    pid = standalone.client("ana").create({"id": "sa-only-mine", "title": "Only mine"}).id
    with pytest.raises(PermissionDenied, match="^Only admins can edit another member's draft"):
        bo.edit(pid, {"title": "bo's now"})
    assert bo.location == standalone.url and not bo.is_visitor


def test_a_revoked_token_stops_working(standalone: Any) -> None:
    lead = standalone.locals["lead"]
    store = standalone.token_file
    lead.add_member("dee")
    token = store.issue(lead, "dee", days=1, note="revocation test")
    dee = connect(standalone.url, token=token)
    assert dee.member == "dee"
    assert store.revoke(lead, "dee") == 1
    with pytest.raises(NotSignedIn, match="unknown, expired or revoked"):
        dee.following()
    listed = store.listed(lead, "dee")
    assert listed and all(t.revoked is not None for t in listed)
    kept = store.path.read_text()
    assert token not in kept and token.removeprefix("govlab_") not in kept  # digests only
    assert store.path.stat().st_mode & 0o077 == 0  # readable by the service's account only


def test_tokens_from_the_command_line(standalone: Any, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("GOVLAB_SERVICE_TOKENS", str(standalone.token_file.path))
    standalone.locals["lead"].add_member("eve")
    monkeypatch.setenv("GOVLAB_USER", "bo")
    assert main(["members", "token", "eve", "--db", standalone.db]) == 1
    assert "Only facilitators and admins can issue a token for another member" in (
        capsys.readouterr().err
    )
    monkeypatch.setenv("GOVLAB_USER", "fay")
    assert main(["members", "token", "eve", "--db", standalone.db, "--days", "2"]) == 0
    printed = capsys.readouterr().out
    token = next(word for word in printed.split() if word.startswith("govlab_"))
    assert connect(standalone.url, token=token).member == "eve"
    assert main(["members", "token", "nobody", "--db", standalone.db]) == 1
    assert "add them first (govlab members add nobody)" in capsys.readouterr().err
    assert main(["members", "token", "eve", "--db", standalone.db, "--revoke"]) == 0
    assert "Revoked" in capsys.readouterr().out
    with pytest.raises(NotSignedIn):
        connect(standalone.url, token=token)


def test_bad_requests_get_plain_messages(standalone: Any) -> None:
    headers = {"Authorization": f"token {standalone.tokens['bo']}"}

    def post(method: str, body: Any, **extra: Any) -> httpx.Response:
        return httpx.post(f"{standalone.url}api/v1/{method}", headers=headers, **extra, json=body)

    wrong_type = post("rate", {"practice_id": "nyc-311", "stars": True})
    assert wrong_type.status_code == 422
    assert wrong_type.json() == {
        "error": "InvalidInput",
        "message": "stars: Input should be a valid integer",
    }
    missing = post("get", {})
    assert missing.json()["message"] == "practice_id: Field required"
    extra = post("get", {"practice_id": "nyc-311", "as_admin": True})
    assert extra.json()["message"] == "as_admin: Extra inputs are not permitted"
    nul = post("comment", {"practice_id": "nyc-311", "text": "a\x00b"})
    assert (nul.status_code, nul.json()["message"]) == (
        422,
        "text: text cannot contain the NUL character (\\x00).",
    )
    not_json = httpx.post(
        f"{standalone.url}api/v1/get", headers=headers | {"Content-Type": "application/json"},
        content=b"{not json",
    )  # fmt: skip
    assert not_json.status_code == 422 and "not valid JSON" in not_json.json()["message"]
    assert httpx.get(f"{standalone.url}api/v1/get", headers=headers).status_code == 405
    assert httpx.get(f"{standalone.url}api/v1/nope", headers=headers).json()["error"] == "NotFound"
    with pytest.raises(InvalidInput, match="clock: not an option"):
        connect(standalone.url, token=standalone.tokens["bo"], clock=lambda: None)


class FlakyDoor:
    """A TCP relay to the service that drops the first ``drops`` connections it accepts."""

    def __init__(self, target_port: int, drops: int) -> None:
        self.target, self.drops, self.accepted = target_port, drops, 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            if self.accepted <= self.drops:
                client.recv(65536)  # the request arrives, then the line goes dead
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.server.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):  # each pipe closes both ends; closing twice is harmless
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


@pytest.fixture
def door(standalone: Any) -> Iterator[FlakyDoor]:
    port = int(standalone.url.rsplit(":", 1)[1].strip("/"))
    relay = FlakyDoor(port, drops=0)
    yield relay
    relay.close()


def test_a_dropped_read_is_sent_again_and_a_dropped_write_is_reported(
    standalone: Any, door: FlakyDoor
) -> None:
    bo = ServiceLibrary(f"http://127.0.0.1:{door.port}/", standalone.tokens["bo"])
    bo._http.headers["Connection"] = "close"  # a new connection per call, so each can drop
    door.drops = door.accepted + 2
    assert bo.get("nyc-311").id == "nyc-311"  # two drops, then through
    before = len(bo.comments("nyc-311"))
    door.drops = door.accepted + 1
    with pytest.raises(
        ServiceError, match="dropped during comment .* may or may not have been saved"
    ):
        bo.comment("nyc-311", "Sent once, never twice.")
    assert len(bo.comments("nyc-311")) == before  # the relay dropped it before the service
    with closed_port() as port:  # the service has gone away altogether
        bo._http.base_url = httpx.URL(f"http://127.0.0.1:{port}/api/v1")
        with pytest.raises(ServiceError, match="was not sent, so nothing was changed"):
            bo.comment("nyc-311", "never sent")
        with pytest.raises(ServiceError, match="Could not reach .* after retrying"):
            bo.get("nyc-311")
    bo.close()


class closed_port:
    """A port on 127.0.0.1 that nothing listens on (bound, never listening)."""

    def __enter__(self) -> int:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return int(self.sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def test_schemathesis_finds_no_server_error(fuzzed: Any) -> None:
    """Generated requests for every operation: never a 500, and replies match the document.

    (schemathesis' own pytest fixture loader does not run on pytest 9, so the operations
    are walked here, each with its own hypothesis run.)
    """
    from hypothesis import given
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_url(f"{fuzzed.url}api/v1/openapi.json")
    headers = {"Authorization": f"token {fuzzed.tokens['ana']}"}
    checks = [not_a_server_error, response_schema_conformance]
    failures: dict[str, str] = {}
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tried += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (all reported at once)
            failures[operation.label] = str(error)[:2000]
    assert tried >= 70
    assert failures == {}


def test_the_landing_page_needs_a_token_outside_a_hub(standalone: Any, tmp_path: Path) -> None:
    page = httpx.get(standalone.url)
    assert page.status_code == 401 and page.json()["error"] == "NotSignedIn"
    signed = httpx.get(
        standalone.url, headers={"Authorization": f"token {standalone.tokens['bo']}"}
    )
    assert "You are signed in as <code>bo</code> (member)" in signed.text
