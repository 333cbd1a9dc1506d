"""govlab.render keeps Markdown and drops every way to run script or inject style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from govlab.render import render_inline, render_markdown, render_text

# Payloads from the OWASP XSS filter evasion cheat sheet and the classic Markdown tricks
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  JAVASCRIPT:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0">overlay</p>',
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<a href="#" onclick="alert(1)">x</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "meta",
    "base",
    "link",
    "svg",
    "math",
    "template",
    "noscript",
    "details",
    "body",
}
URL_ATTRIBUTES = {"href", "src", "action", "data", "background", "formaction", "xlink:href"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Markup(HTMLParser):
    """Collects what the browser would treat as markup: tags and their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            has_scheme = ":" in url.split("/")[0]
            if name in URL_ATTRIBUTES and has_scheme and not url.startswith(SAFE_SCHEMES):
                self.problems.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag


def markup_problems(out: str) -> list[str]:
    parser = _Markup()
    parser.feed(out)
    parser.close()
    return parser.problems


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("render", [render_markdown, render_inline])
def test_no_payload_survives(payload: str, render) -> None:
    out = render(payload)
    assert markup_problems(out) == [], out


def test_the_checker_catches_what_it_must() -> None:
    # the checker itself must fail on raw payloads, or the test above proves nothing
    for raw in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="JavaScript:x">',
        '<p style="x">',
        '<a href="data:text/html,x">',
    ]:
        assert markup_problems(raw), raw


def test_markdown_still_renders() -> None:
    out = render_markdown(
        "# Results\n\n**Backlog** fell by *40%*; see [the report](https://example.org/r)."
    )
    assert "<h1>Results</h1>" in out
    assert "<strong>Backlog</strong>" in out
    assert "<em>40%</em>" in out
    assert (
        '<a href="https://example.org/r" rel="noopener noreferrer nofollow">the report</a>' in out
    )


def test_tables_and_lists_survive() -> None:
    out = render_markdown("| KPI | value |\n|---|---|\n| SLA | 91% |\n\n- one\n- two")
    assert "<table>" in out and "<td>91%</td>" in out
    assert out.count("<li>") == 2


def test_plain_text_is_escaped_not_interpreted() -> None:
    assert render_text('<b onclick="x">Seoul & "Owl"</b>') == (
        "&lt;b onclick=&quot;x&quot;&gt;Seoul &amp; &quot;Owl&quot;&lt;/b&gt;"
    )


def test_empty_input() -> None:
    assert render_markdown("") == "" and render_markdown(None) == "" and render_text(None) == ""
