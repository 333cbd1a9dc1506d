"""Import jsonschema without the slow ``rfc3987_syntax`` grammar build."""

from __future__ import annotations

import sys


def import_jsonschema_quickly() -> None:
    """Import jsonschema (nbformat needs it: papermill, nbconvert, plotly.io) quickly.

    When ``rfc3987_syntax`` is installed (jupyter-events pulls it in), jsonschema
    imports it to check the ``iri`` string format, and it builds an Earley parser
    for ~30 grammar rules at import time: 5-10 s on a busy machine, for a format
    no notebook schema uses. Hiding it during jsonschema's import only switches
    that one format check off (jsonschema then accepts any ``iri``); the module
    can still be imported afterwards.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema  # noqa: F401
    except ImportError:  # pragma: no cover - jsonschema is a dependency of nbformat
        pass
    finally:
        del sys.modules["rfc3987_syntax"]
