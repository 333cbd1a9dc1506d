"""Run code in a kernel of a running Jupyter server, as its browser would (REST + websocket)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx


def execute(server: str, token: str, code: str, *, timeout: float = 120) -> str:
    """Start a kernel on ``server`` (a URL ending in ``/``), run ``code``, return its stdout.

    Raises RuntimeError with the traceback if the code fails.
    """
    import websocket

    headers = {"Authorization": f"token {token}"}
    with httpx.Client(base_url=f"{server}api", headers=headers, timeout=60) as rest:
        reply = rest.post("/kernels", json={"name": "python3"})
        reply.raise_for_status()
        kernel = reply.json()["id"]
        try:
            ws_url = server.replace("http", "ws", 1) + f"api/kernels/{kernel}/channels"
            socket = websocket.create_connection(
                ws_url, header=[f"Authorization: token {token}"], timeout=timeout
            )
            try:
                return _run(socket, code, timeout)
            finally:
                socket.close()
        finally:
            rest.delete(f"/kernels/{kernel}")


def _run(socket: Any, code: str, timeout: float) -> str:
    msg_id = uuid.uuid4().hex
    socket.send(json.dumps(_request(msg_id, code)))
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = json.loads(socket.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream" and content.get("name") == "stdout":
            printed.append(content["text"])
        elif kind == "error":
            raise RuntimeError("\n".join(content.get("traceback", [])))
        elif kind == "status" and content.get("execution_state") == "idle":
            return "".join(printed)
    raise RuntimeError(f"the kernel did not finish within {timeout:.0f} s")


def _request(msg_id: str, code: str) -> dict[str, Any]:
    return {
        "header": {
            "msg_id": msg_id,
            "username": "govlab-test",
            "session": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": datetime.now(UTC).isoformat(),
        },
        "parent_header": {},
        "metadata": {},
        "content": {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
        "channel": "shell",
    }
