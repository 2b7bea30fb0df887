"""Start-up: the console script imports only the command it runs (issue 14)."""

from __future__ import annotations

import subprocess
import sys

from hypoplan import cli


def test_command_map_names_every_command_and_its_module():
    registered = {(c.name or c.callback.__name__): c.callback.__module__.rsplit(".", 1)[-1]
                  for c in cli.app.registered_commands}
    assert registered == cli.COMMAND_OF
    assert set(cli.COMMAND_OF.values()) == set(cli.COMMAND_MODULES)


def _modules_after(argv: list[str]) -> set[str]:
    code = ("import sys\nsys.argv = ['hypoplan', *sys.argv[1:]]\nfrom hypoplan.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(m for m in sys.modules if m.startswith('hypoplan.cli.')), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    return set(out.stderr.strip().splitlines()[-1].split())


def test_a_command_imports_only_its_module():
    assert _modules_after(["check", "--help"]) == {"hypoplan.cli.check", "hypoplan.cli.common"}
    assert "hypoplan.cli.interop" in _modules_after(["export", "--help"])


def test_help_and_unknown_commands_register_everything():
    everything = {f"hypoplan.cli.{m}" for m in cli.COMMAND_MODULES} | {"hypoplan.cli.common"}
    assert _modules_after(["--help"]) == everything
    assert _modules_after(["chek"]) == everything
