"""HTML fragments of the components: pure functions from records to safe HTML.

Every piece of user text goes through :mod:`govlab.render` (``render_text`` escapes,
``render_markdown`` renders and sanitises); the tags around it are govlab's own.
Tests call these without a browser.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from govlab.models import Practice
from govlab.render import render_inline, render_markdown, render_text, sanitize

LEVEL_NAMES = {
    "local": "Local",
    "regional": "Regional",
    "national": "National",
    "supranational": "Supranational",
}
# The Maryland Scientific Methods Scale, as reviewers use it (govlab.community.reviews)
EVIDENCE_LEVELS = {
    1: "1: anecdote or self-report",
    2: "2: before and after",
    3: "3: compared with a control group",
    4: "4: controlled for other differences",
    5: "5: randomised trial",
}
SECTIONS = (
    ("problem", "The problem"),
    ("approach", "What they did"),
    ("results", "Results"),
    ("lessons", "Lessons"),
)


@lru_cache(maxsize=1)
def _territories() -> Mapping[str, str]:
    from babel import Locale

    names: Mapping[str, str] = Locale("en").territories
    return names


def country_name(code: str | None) -> str:
    """``GB`` -> ``United Kingdom`` (the code itself when unknown)."""
    if not code:
        return ""
    return str(_territories().get(code.upper(), code))


def evidence_name(value: int | str | None) -> str:
    """An evidence level with its meaning: ``3`` -> ``3: compared with a control group``."""
    if value in (None, ""):
        return ""
    return EVIDENCE_LEVELS.get(int(value), str(value))


def day(moment: date | datetime | None) -> str:
    """``2 Mar 2026``."""
    if moment is None:
        return ""
    return f"{moment.day} {moment:%b %Y}"


def get(record: Any, name: str, default: Any = None) -> Any:
    """A field of a search result, whether it is a model or (older cores) a dict."""
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def place(record: Any) -> str:
    """Where a practice is: ``Boston, United States``."""
    where = str(get(record, "jurisdiction") or "")
    country = country_name(get(record, "country"))
    if not country or country.lower() in where.lower():
        return where
    return f"{where}, {country}" if where else country


def practice_card(summary: Any) -> dict[str, Any]:
    """A search result as a CardList card."""
    level = get(summary, "level")
    meta = [place(summary), LEVEL_NAMES.get(str(level), "") if level else ""]
    meta.append(get(summary, "sector") or "")
    evidence = get(summary, "evidence_level")
    adoptions = int(get(summary, "adoptions", 0) or 0)
    chips = [f"Evidence level {evidence}"] if evidence else ["Evidence not yet reviewed"]
    chips.append(f"{adoptions} adoption{'' if adoptions == 1 else 's'}")
    if get(summary, "case_study"):
        chips.append("Re-runnable case study")
    if str(get(summary, "status", "")) == "archived":
        chips.append("Archived")
    rating = get(summary, "rating")
    ratings = int(get(summary, "ratings", 0) or 0)
    return {
        "id": str(get(summary, "id")),
        "title": str(get(summary, "title")),
        "meta": [part for part in meta if part],
        "summary_html": render_inline(get(summary, "summary") or ""),
        "stars": float(rating) if rating is not None and ratings else None,
        "ratings": ratings,
        "unrated": "Not rated yet" if not ratings else "",
        "chips": chips,
    }


def _facts(practice: Practice) -> list[tuple[str, str]]:
    years = str(practice.year_started or "")
    if practice.year_ended:
        years += f" to {practice.year_ended}"
    rows = [
        ("Organisation", practice.organisation),
        (
            "Level of government",
            LEVEL_NAMES.get(practice.level.value, "") if practice.level else "",
        ),
        ("Sector", practice.sector),
        ("Topics", ", ".join(practice.topics)),
        ("Technologies", ", ".join(practice.technologies)),
        ("Stage", practice.stage.value.capitalize() if practice.stage else ""),
        ("Years", years),
        ("Tools", ", ".join(practice.tools)),
        ("Stakeholders", ", ".join(practice.stakeholders)),
        ("Evidence level", evidence_name(practice.evidence_level) or "not yet reviewed"),
    ]
    for cost in practice.costs:
        note = f" ({cost.note})" if cost.note else ""
        rows.append(("Cost", f"{cost.amount:,.0f} {cost.currency}, {cost.kind.value}{note}"))
    return [(name, value) for name, value in rows if value]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def outcomes_table(practice: Practice) -> str:
    """The practice's outcomes: each figure with its evidence type."""
    if not practice.outcomes:
        return '<p class="govlab-muted">No outcomes recorded yet.</p>'
    head = ("Indicator", "Baseline", "Value", "Unit", "Period", "Evidence", "Source")
    rows = []
    for outcome in practice.outcomes:
        cells = (
            outcome.indicator,
            _number(outcome.baseline),
            _number(outcome.value),
            outcome.unit,
            outcome.period,
            outcome.evidence_type.value,
            outcome.source,
        )
        rows.append("<tr>" + "".join(f"<td>{render_text(c)}</td>" for c in cells) + "</tr>")
    header = "".join(f'<th scope="col">{name}</th>' for name in head)
    return (
        '<table class="govlab-table"><caption>Outcomes and the evidence behind each figure'
        f"</caption><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def link(url: str, text: str) -> str:
    """A link to a user-given URL, through the sanitiser (http, https and mailto only)."""
    return sanitize(f'<a href="{render_text(url)}">{render_text(text or url)}</a>')


def practice_html(practice: Practice) -> str:
    """A practice in full: its text, facts, outcomes and sources."""
    parts = [f'<h2 class="govlab-detail__title">{render_text(practice.title)}</h2>']
    where = place(practice)
    if where:
        parts.append(f'<p class="govlab-detail__place">{render_text(where)}</p>')
    if practice.summary:
        parts.append(f'<p class="govlab-lead">{render_inline(practice.summary)}</p>')
    for field, heading in SECTIONS:
        text = getattr(practice, field)
        if text:
            parts.append(f"<h3>{heading}</h3>{render_markdown(text)}")
    facts = "".join(
        f'<tr><th scope="row">{name}</th><td>{render_text(value)}</td></tr>'
        for name, value in _facts(practice)
    )
    parts.append(
        f'<h3>Facts</h3><table class="govlab-table govlab-facts"><tbody>{facts}</tbody></table>'
    )
    parts.append(f"<h3>Outcomes</h3>{outcomes_table(practice)}")
    if practice.sources:
        items = "".join(f"<li>{link(s.url, s.title)}</li>" for s in practice.sources)
        parts.append(f'<h3>Sources</h3><ul class="govlab-sources">{items}</ul>')
    return "".join(parts)


def history_html(revisions: Sequence[Any]) -> str:
    """Every revision: number, who, when, why (newest first)."""
    items = []
    for revision in reversed(list(revisions)):
        who = render_text(revision.author)
        why = render_text(revision.message or "edited")
        items.append(
            f"<li><strong>Revision {revision.revision}</strong>, {day(revision.at)}, "
            f"by {who}: {why}</li>"
        )
    return f'<ol class="govlab-history" reversed>{"".join(items)}</ol>'


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(_shown(item) if isinstance(item, dict) else str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))
    return str(value)


DIFF_IGNORED = {"updated", "revision", "created"}


def diff_html(before: Practice | None, after: Practice) -> str:
    """What changed from ``before`` to ``after``, field by field; long text line by line."""
    if before is None:
        return '<p class="govlab-muted">This is the first revision: nothing to compare with.</p>'
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    rows = []
    for name, value in new.items():
        if name in DIFF_IGNORED or old.get(name) == value:
            continue
        was = old.get(name)
        if isinstance(was, str) and isinstance(value, str) and ("\n" in was + value):
            rows.append(_text_diff(name, was, value))
        else:
            rows.append(
                f'<tr><th scope="row">{name}</th><td class="govlab-del">{render_text(_shown(was))}'
                f'</td><td class="govlab-ins">{render_text(_shown(value))}</td></tr>'
            )
    if not rows:
        return '<p class="govlab-muted">No field changed between these revisions.</p>'
    return (
        '<table class="govlab-table govlab-diff"><thead><tr><th scope="col">Field</th>'
        '<th scope="col">Before</th><th scope="col">After</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _text_diff(name: str, old: str, new: str) -> str:
    lines = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "govlab-ins", "-": "govlab-del", "@": "govlab-muted"}.get(line[:1], "")
        lines.append(f'<span class="{kind}">{render_text(line)}</span>')
    body = "\n".join(lines)
    return f'<tr><th scope="row">{name}</th><td colspan="2"><pre>{body}</pre></td></tr>'


def comments_html(threads: Iterable[Any], depth: int = 0) -> str:
    """The discussion: threads of comments (their HTML already sanitised by the core)."""
    items = []
    for comment in threads:
        meta = f"#{comment.id} {render_text(comment.author)}, {day(comment.created)}"
        if comment.helpful:
            meta += f", marked helpful {comment.helpful}×"
        replies = comments_html(comment.replies, depth + 1) if comment.replies else ""
        css = "govlab-comment govlab-comment--hidden" if comment.hidden else "govlab-comment"
        items.append(
            f'<li class="{css}"><p class="govlab-comment__meta">{meta}</p>'
            f'<div class="govlab-comment__body">{comment.html}</div>{replies}</li>'
        )
    if not items and depth == 0:
        return '<p class="govlab-muted">No comments yet: be the first to say something.</p>'
    return f'<ul class="govlab-comments">{"".join(items)}</ul>'


def table(head: Sequence[str], rows: Iterable[Sequence[Any]], caption: str = "") -> str:
    """A plain table of values (each escaped)."""
    header = "".join(f'<th scope="col">{render_text(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{render_text(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    cap = f"<caption>{render_text(caption)}</caption>" if caption else ""
    return (
        f'<table class="govlab-table">{cap}<thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
