"""The ``hypoplan`` command line: a thin typer layer over the library.

Each command lives in its own module beside this one and registers itself on
:data:`app`; heavy libraries are imported inside the command functions so that
``hypoplan --help`` starts fast.  The console script imports only the module of
the command it runs (:data:`COMMAND_OF`); ``from hypoplan.cli import app`` gets
every command.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable

import typer

_app = typer.Typer(
    name="hypoplan",
    help="Turn a causal hypothesis into a testable study: validate, analyse, plan, render and review hypotheses.\n\n"
    "Exit codes: 0 ok, 1 findings, 2 usage error, 3 internal error (a bug in hypoplan: please report it).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: The module of each command, so that ``hypoplan check ...`` imports cli/check.py and nothing else.
#: A new command must be added here (tests/test_cli_startup.py checks the map against the app); the order
#: is the order of the commands in --help.
COMMAND_OF = {
    "check": "check", "analyze": "analyze", "plan": "plan", "catalog": "catalog", "power": "power",
    "render": "render", "aims": "aims", "report": "report", "protocol": "protocol", "diff": "diff",
    "review": "review", "lint": "lint", "map": "map", "site": "site", "fmt": "fmt", "new": "new",
    "import": "interop", "export": "interop", "schema": "schema",
    "simulate": "data", "test-data": "data", "estimate": "data", "diagnose": "data",
}

#: Command modules, in the order their commands appear in --help (derived: one list to keep up to date).
COMMAND_MODULES = list(dict.fromkeys(COMMAND_OF.values()))


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"hypoplan {__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="On an internal error (exit 3), print the full traceback "
                               "(the same as HYPOPLAN_DEBUG=1)."),
) -> None:
    """Turn a causal hypothesis into a testable study."""
    if debug:
        from .common import DEBUG_ENV

        os.environ[DEBUG_ENV] = "1"


def _fix_typer_display() -> None:
    """Two display glitches of typer 0.29, fixed once for every command (tests/test_cli_robustness.py pins both).

    A boolean flag's type shows as ``<bool>`` in --help, as though the flag took a value; and a bad value for a
    choice (``--format xml``) is reported with pydantic's internal "Value error," prefix.
    """
    from typer import _coercion, _param_types, core

    shown = core.TyperOption.display_type_rich

    def display_type_rich(self: core.TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag and self.metavar is None else shown(self, ctx)

    core.TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign,assignment]
    for module in (_coercion, _param_types):
        message = getattr(module, "get_error_msg", None)
        if message is None:  # another typer version: tests/test_cli_robustness.py says whether it is still needed
            continue

        def get_error_msg(exc: object, _message: Callable[[object], str] = message) -> str:
            return _message(exc).removeprefix("Value error, ")

        setattr(module, "get_error_msg", get_error_msg)  # noqa: B010 - typer has no typed hook for this


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


_fix_typer_display()


#: Allocations of container objects between two young-generation collections in a ``hypoplan`` process
#: (Python's default is 700).
GC_THRESHOLD0 = 100_000


def _collect_less_often() -> None:
    """Raise the collector's first threshold for this process (the console script only, never on import).

    Start-up (networkx, pydantic, the model classes) allocates some 50,000 long-lived objects; with the default
    threshold the collector walks them again and again, once through a full collection, about 15% of the CPU
    time of ``hypoplan check`` on a few files (issue 14).  Reference counting frees everything but cycles;
    cycles are still collected, every 100,000 allocations instead of every 700, so a long run's memory stays
    bounded (tests/test_cli_startup.py runs ``check`` on many files under the peak-RSS target).
    """
    import gc

    threshold0, threshold1, threshold2 = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD0, threshold0), threshold1, threshold2)


def _exit_without_final_collection() -> None:
    """Freeze every object as the process is about to exit, so that Python's shutdown skips its final walk.

    At exit the interpreter runs one last full collection over every object before it tears the modules
    down; for ``check`` or ``analyze`` on a few files that walk cost about a quarter of the CPU time
    (issue 14).  Frozen objects are still freed as the modules are torn down and ``atexit`` handlers
    still run; only cyclic garbage left at exit is not collected, which the operating system reclaims.
    """
    import gc

    gc.freeze()


def main() -> None:
    """Console-script entry point: registers only the command that runs (all of them for --help or a typo).

    Pydantic's plugin discovery (a scan of every installed package's entry points) is skipped
    unless ``PYDANTIC_DISABLE_PLUGINS`` is set otherwise: hypoplan's own models use no plugin.
    An exception that escapes a command is an internal error (exit 3), never a traceback or exit 1.
    The cyclic garbage collector runs less often (:func:`_collect_less_often`) and not at exit
    (:func:`_exit_without_final_collection`).
    """
    import os

    _collect_less_often()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    module = COMMAND_OF.get(_command_in(sys.argv[1:]) or "")
    if module is None:
        __getattr__("app")
    else:
        _register([module])
    try:
        _app()
    except Exception as exc:  # noqa: BLE001 - any escaped exception is a bug to report, never a traceback
        from .common import EXIT_INTERNAL, report_internal_error

        report_internal_error(exc)
        sys.exit(EXIT_INTERNAL)
    finally:
        _exit_without_final_collection()
