"""HTML fragments: user text is rendered through govlab.render and never runs."""

from __future__ import annotations

from govlab.models import Practice
from govlab.widgets import views

from .conftest import assert_inert

XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def practice(**fields: object) -> Practice:
    data = {"id": "p-one", "title": "A practice", "status": "published"} | fields
    return Practice.model_validate(data)


def test_user_text_in_a_practice_is_escaped_or_sanitised() -> None:
    shown = views.practice_html(
        practice(
            title=f"Title {XSS}",
            problem=f"**Bold** {XSS}",
            jurisdiction="<b>Leeds</b>",
            outcomes=[{"indicator": XSS, "value": 3}],
            sources=[{"url": "https://example.org/a?b=1&c=<x>", "title": XSS}],
        )
    )
    assert_inert(shown)
    assert "&lt;script&gt;" in shown  # the title shows the payload as text
    assert "<strong>Bold</strong>" in shown  # Markdown still works
    assert "&lt;b&gt;Leeds&lt;/b&gt;" in shown
    assert 'rel="noopener noreferrer nofollow"' in shown


def test_a_card_carries_stars_evidence_and_adoptions() -> None:
    from govlab.models import PracticeSummary

    summary = PracticeSummary(
        id="x", title="T", summary="One *line*", jurisdiction="Tallinn", country="EE",
        level="national", sector="Identity", evidence_level=3, rating=4.25, ratings=8, adoptions=1,
    )  # fmt: skip
    card = views.practice_card(summary)
    assert card["meta"] == ["Tallinn, Estonia", "National", "Identity"]
    assert card["stars"] == 4.25 and card["ratings"] == 8
    assert card["chips"] == ["Evidence level 3", "1 adoption"]
    assert card["summary_html"] == "One <em>line</em>"
    unrated = views.practice_card(summary.model_copy(update={"rating": None, "ratings": 0}))
    assert unrated["stars"] is None and unrated["unrated"] == "Not rated yet"


def test_a_diff_shows_each_changed_field_and_text_line_by_line() -> None:
    before = practice(summary="Old", problem="line one\nline two")
    after = practice(summary="New <i>", problem="line one\nline 2")
    shown = views.diff_html(before, after)
    assert '<th scope="row">summary</th>' in shown
    assert "New &lt;i&gt;" in shown
    assert '<span class="govlab-del">-line two</span>' in shown
    assert '<span class="govlab-ins">+line 2</span>' in shown
    assert "title" not in shown  # unchanged fields are left out
    assert "first revision" in views.diff_html(None, after)
