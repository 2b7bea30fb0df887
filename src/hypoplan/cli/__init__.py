"""The ``hypoplan`` command line: a thin typer layer over the library.

Each command lives in its own module beside this one and registers itself on
:data:`app`; heavy libraries are imported inside the command functions so that
``hypoplan --help`` starts fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="hypoplan",
    help="Turn a causal hypothesis into a testable study: validate, analyse, plan, render and review hypotheses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: Command modules, in the order their commands appear in --help.
COMMAND_MODULES = [
    "check",
    "analyze",
    "plan",
    "catalog",
    "power",
    "render",
    "aims",
    "report",
    "diff",
    "review",
    "lint",
    "fmt",
    "new",
    "interop",
    "schema",
]


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"hypoplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Turn a causal hypothesis into a testable study."""


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


_register()


def main() -> None:
    """Console-script entry point."""
    app()
