"""The ``hypoplan`` command line: a thin typer layer over the library.

Each command lives in its own module beside this one and registers itself on
:data:`app`; heavy libraries are imported inside the command functions so that
``hypoplan --help`` starts fast.  The console script imports only the module of
the command it runs (:data:`COMMAND_OF`); ``from hypoplan.cli import app`` gets
every command.
"""

from __future__ import annotations

import importlib
import sys

import typer

_app = typer.Typer(
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

#: The module of each command, so that ``hypoplan check ...`` imports cli/check.py and nothing else.
COMMAND_OF = {
    "check": "check", "analyze": "analyze", "plan": "plan", "catalog": "catalog", "power": "power",
    "render": "render", "aims": "aims", "report": "report", "diff": "diff", "review": "review", "lint": "lint",
    "fmt": "fmt", "new": "new", "import": "interop", "export": "interop", "schema": "schema",
}


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"hypoplan {__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Turn a causal hypothesis into a testable study."""


_registering = False
_all_registered = False


def _register(modules: list[str]) -> None:
    """Import command modules; each registers its commands on the app."""
    global _registering
    _registering = True
    try:
        for name in modules:
            try:
                importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise
    finally:
        _registering = False


def __getattr__(name: str) -> typer.Typer:
    """``app``: the typer application with every command registered (command modules get it as is)."""
    global _all_registered
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _registering and not _all_registered:
        _register(COMMAND_MODULES)
        _all_registered = True
    return _app


def _command_in(argv: list[str]) -> str | None:
    """The command named on a command line (the root options take no values), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def main() -> None:
    """Console-script entry point: registers only the command that runs (all of them for --help or a typo).

    Pydantic's plugin discovery (a scan of every installed package's entry points) is skipped
    unless ``PYDANTIC_DISABLE_PLUGINS`` is set otherwise: hypoplan's own models use no plugin.
    """
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    module = COMMAND_OF.get(_command_in(sys.argv[1:]) or "")
    if module is None:
        __getattr__("app")
    else:
        _register([module])
    _app()
