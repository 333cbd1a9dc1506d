"""Plain-language wording of estimates for a manager (private).

One place decides how numbers, intervals and p-values are written, so every
result object speaks the same way::

    After the launch, online transactions rose by 12.3 percentage points
    (95 % CI 9.1 to 15.5); a change this large is very unlikely to be chance (p < 0.001).
"""

from __future__ import annotations

import math


def number(value: float) -> str:
    """A figure to three significant digits: 1,234 / 12.3 / 9 / 1.25 / 0.0123.

    Sizes below 1e-10 (rounding noise of an exact fit) are written as 0.
    """
    if not math.isfinite(value):
        return "n/a"
    if abs(value) < 1e-10:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def signed(value: float) -> str:
    """``+1.25`` / ``-0.5`` / ``0``."""
    text = number(value)
    return text if text == "0" or text.startswith("-") or text == "n/a" else f"+{text}"


def p_text(p: float) -> str:
    """``p < 0.001``, ``p = 0.004``, ``p = 0.03``, ``p = 0.45``."""
    if not math.isfinite(p):
        return "p not available"
    if p < 0.001:
        return "p < 0.001"
    if p < 0.01:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def evidence(p: float, what: str = "a change") -> str:
    """How surprising the estimate would be if nothing had really changed."""
    if not math.isfinite(p):
        return "the data are too few to judge whether it is chance"
    if p < 0.001:
        return f"{what} this large is very unlikely to be chance"
    if p < 0.05:
        return f"{what} this large is unlikely to be chance"
    if p < 0.1:
        return f"the evidence that {what} this large is real is weak"
    return f"{what} of this size could well be chance"


def with_unit(text: str, unit: str) -> str:
    """``12.3`` + ``percentage points`` -> ``12.3 percentage points``; ``+ %`` -> ``12.3%``."""
    if not unit:
        return text
    return f"{text} {unit}" if unit[0].isalnum() else f"{text}{unit}"


def interval(low: float, high: float, confidence: float, unit: str = "") -> str:
    """``95 % CI 9.1 to 15.5``."""
    level = f"{confidence * 100:g}"
    return f"{level} % CI {number(low)} to {with_unit(number(high), unit)}"


def change(
    lead: str,
    subject: str,
    estimate: float,
    low: float,
    high: float,
    p: float,
    *,
    confidence: float,
    unit: str = "",
    tail: str = "",
    up: str = "rose",
    down: str = "fell",
) -> str:
    """Write one change: "{lead}, {subject} rose by X{tail} (95 % CI a to b); {evidence} (p ...)".

    For a fall the interval is written as sizes of the fall: a change of -3
    with interval (-5, -1) reads "fell by 3 (95 % CI 1 to 5)".
    """
    if estimate < 0:
        verb, size, low, high = down, -estimate, -high, -low
    elif estimate > 0:
        verb, size = up, estimate
    else:
        verb, size = "did not change: the change was", 0.0
    amount = with_unit(number(size), unit)
    text = (
        f"{lead}, {subject} {verb} by {amount}{tail} ({interval(low, high, confidence)}); "
        f"{evidence(p)} ({p_text(p)})."
    )
    return text[0].upper() + text[1:]
