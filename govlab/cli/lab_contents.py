"""The contents manager ``govlab lab`` serves notebooks with (imported by the server only).

JupyterLab writes the running kernel's ``kernelspec`` and ``language_info`` into a
notebook's metadata as soon as the kernel answers; when they differ from the file (our
notebooks are committed with short ones, and Python's patch version differs from
machine to machine) the tab shows as modified before the participant typed anything.
This manager hands out each notebook with the metadata the kernel is about to report,
so JupyterLab finds nothing to change. The file on disk is not touched.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager


class WorkshopContents(AsyncLargeFileManager):
    """jupyter-server's file manager, with notebooks' kernel metadata as the kernel says it."""

    async def get(  # the signature of jupyter-server's, which carries no type hints
        self,
        path: Any,
        content: Any = True,
        type: Any = None,
        format: Any = None,
        require_hash: Any = False,
    ) -> Any:
        """The model of ``path``; a notebook's kernelspec and language_info filled in."""
        model: dict[str, Any] = await super().get(  # type: ignore[no-untyped-call]
            path, content=content, type=type, format=format, require_hash=require_hash
        )
        if content and model.get("type") == "notebook" and model.get("content"):
            metadata = model["content"].setdefault("metadata", {})
            name = metadata.get("kernelspec", {}).get("name", "python3")
            metadata.update(kernel_metadata(name))
        return model


@cache
def kernel_metadata(name: str) -> dict[str, Any]:
    """The kernelspec (and, for this Python's own kernel, language_info) of kernel ``name``."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return {}
    found: dict[str, Any] = {
        "kernelspec": {"name": name, "display_name": spec.display_name, "language": spec.language}
    }
    if _runs_this_python(spec.argv[0] if spec.argv else ""):
        from ipykernel.ipkernel import IPythonKernel

        found["language_info"] = dict(IPythonKernel.language_info)
    return found


def _runs_this_python(program: str) -> bool:
    # jupyter_client starts "python", "python3" and "python3.X" with sys.executable
    names = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info)}
    if program in names:
        return True
    return bool(program) and Path(program).resolve() == Path(sys.executable).resolve()
