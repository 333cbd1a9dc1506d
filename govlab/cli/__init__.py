"""The ``govlab`` command: parses, calls the layers, prints. It never decides.

Exit status: 0 ok, 1 a user error (with a plain message, no traceback), 2 usage.
Every command takes ``--db URL`` and ``--json``.
"""

from __future__ import annotations

import sys

import typer

from govlab.errors import GovlabError

app = typer.Typer(
    name="govlab",
    help="govlab: a practice library and workshop toolkit for public servants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from govlab.cli import library

    library.register(app)
    for name in ("community", "serve", "run", "course", "voila", "lab", "doctor"):
        try:
            module = __import__(f"govlab.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as error:
            if error.name != f"govlab.cli.{name}":
                raise
            continue
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    try:
        app(args=argv, standalone_mode=True)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    except GovlabError as error:
        typer.secho(f"Error: {error}", err=True, fg=typer.colors.RED)
        return 1
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        typer.secho(f"Error: {error.strerror}: {error.filename}", err=True, fg=typer.colors.RED)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
