"""Plain text as govlab keeps it: no control characters, names compared by their skeleton.

* :func:`clean` is applied once, in the models, to every piece of text a person gives:
  NUL and the other C0/C1 control characters are refused by SQLite's and PostgreSQL's
  text types differently (PostgreSQL rejects NUL outright), and escape sequences would
  reach a terminal raw; tab and newline are kept, carriage returns become newlines.
* :func:`name_key` is how two member names are compared: Unicode NFKC, case-folded,
  then each character replaced by the Latin letter it is confusable with (the Unicode
  confusables data of UTS #39, through ``confusable_homoglyphs``), so "Alice", "ALICE",
  Cyrillic "аlice" and full-width "ａｌｉｃｅ" are one name.
* :func:`for_terminal` escapes what is left of control characters before printing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# C0 controls but tab and newline, DEL, C1 controls; and the bidirectional overrides
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# digits and signs commonly used for letters in names (UTS #39 maps these too)
ASCII_LOOKALIKES = str.maketrans({"0": "o", "1": "l", "|": "l"})


def clean(text: str) -> str:
    """``text`` with carriage returns as newlines and control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.sub("", text)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character :func:`clean` would remove."""
    return CONTROL_RE.search(text.replace("\r", "")) is not None


def name_key(name: str) -> str:
    """The form in which two member names are the same name (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(_latin(char) for char in folded).translate(ASCII_LOOKALIKES)


@cache
def _latin(char: str) -> str:
    """The ASCII character ``char`` is confusable with, or ``char`` itself."""
    if char.isascii():
        return char
    for glyph in _homoglyphs().get(char, ()):
        if len(glyph) == 1 and glyph.isascii():
            return glyph.lower()
    return char


@cache
def _homoglyphs() -> dict[str, list[str]]:
    # imported when a new name is first checked: the data is 0.9 MB of JSON
    from confusable_homoglyphs.utils import load

    data = load("confusables.json")
    return {char: [entry["c"] for entry in entries] for char, entries in data.items()}


def for_terminal(text: str) -> str:
    r"""``text`` safe to print, each control character shown as its escape (``\x1b``)."""
    return CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
