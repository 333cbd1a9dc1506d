"""A package's public names, imported on first use (PEP 562).

``import govlab.widgets`` must not load ipywidgets, nor ``import govlab.analysis``
pandas: a workshop runs thirty kernels on one machine. Such a package lists each
name with the module that defines it and takes its ``__getattr__`` and ``__dir__``
from :func:`exports`; its ``TYPE_CHECKING`` imports give the names their types.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, names: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    ``names`` maps each public name to its module, relative to the package
    (``"browser"`` for ``govlab.widgets.browser``); ``namespace`` is the package's
    ``globals()``, where a name is kept once imported.
    """

    def getattr_(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted([*namespace, *names])

    return getattr_, dir_
