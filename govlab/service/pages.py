"""The one page the service shows a browser: who you are signed in as, and where the API is."""

from __future__ import annotations

from fastapi.responses import HTMLResponse


def landing_page(member: str, role: str, base: str) -> HTMLResponse:
    """A plain page for someone who opens the service in a browser."""
    from govlab.render import render_markdown

    text = (
        "# govlab library service\n\n"
        f"You are signed in as `{member}` ({role}).\n\n"
        f"The library's API is at `{base}/`, described by its "
        f"[OpenAPI document]({base}/openapi.json).\n\n"
        'In a notebook on this hub: `library = govlab.open_library("hub")`.'
    )
    style = "body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}"
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>govlab library service</title>"
        f"<style>{style}</style></head><body><main>{render_markdown(text)}</main></body></html>"
    )
    return HTMLResponse(page)
