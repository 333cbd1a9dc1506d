"""The library's settings: a few switches an admin sets, each checked and audited.

=================  =========  ===========================================================
setting            default    what it does
=================  =========  ===========================================================
approvals_needed   2          approving reviews a submission needs before it is published
open_membership    True       anyone who opens the library joins it; off: a facilitator
                              adds each member
image_hosts        []         web hosts whose images user text may show (no remote image
                              otherwise: a picture from elsewhere tells its host who read)
=================  =========  ===========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from govlab.community._base import SessionBase
from govlab.errors import InvalidInput
from govlab.library.store import Tx

HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})*$")


@dataclass(frozen=True)
class Setting:
    """One setting: its default and what it means, in words for a message."""

    default: Any
    means: str


SETTINGS: dict[str, Setting] = {
    "approvals_needed": Setting(2, "a whole number, at least 1"),
    "open_membership": Setting(True, "true or false"),
    "image_hosts": Setting([], "a list of web host names such as images.example.org"),
}


def setting(tx: Tx, name: str) -> Any:
    """A setting's stored value, or its default."""
    value = tx.setting(name)
    return SETTINGS[name].default if value is None else value


def checked(name: str, value: Any) -> Any:
    """``value`` for setting ``name`` as stored, or InvalidInput saying what it takes."""
    if name not in SETTINGS:
        raise InvalidInput(f"Unknown setting {name!r}: use one of {', '.join(SETTINGS)}.")
    if name == "approvals_needed" and type(value) is int and value >= 1:
        return value
    if name == "open_membership" and isinstance(value, bool):
        return value
    if name == "image_hosts" and isinstance(value, list | tuple):
        hosts = [str(h).strip().lower() for h in value]
        if all(HOST_RE.match(h) for h in hosts):
            return sorted(set(hosts))
    raise InvalidInput(f"{name}: give {SETTINGS[name].means}, not {value!r}.")


class SettingsMixin(SessionBase):
    """Reading and changing the library's settings."""

    def settings(self) -> dict[str, Any]:
        """Every setting of the library with its value (defaults where none was set)."""

        def work(tx: Tx) -> dict[str, Any]:
            self._role_in(tx)
            return {name: setting(tx, name) for name in SETTINGS}

        return self._read(work)

    def change_setting(self, name: str, value: Any) -> Any:
        """Set one of the library's settings (admins); returns the value stored."""
        stored = checked(name, value)

        def work(tx: Tx) -> Any:
            self._require("change_settings", tx)
            before = setting(tx, name)
            tx.set_setting(name, stored)
            self._audit(tx, f"settings.{name}", "", before=before, after=stored)
            return stored

        return self._write(work)
