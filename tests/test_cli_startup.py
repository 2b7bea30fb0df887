"""Start-up: the console script imports only the command it runs (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


def _run_code(code: str, *argv: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    return out.stderr.strip().splitlines()[-1]


def test_the_console_script_collects_garbage_less_often_but_importing_the_cli_does_not():
    """main() raises the collector's first threshold for its own process only (issue 14: start-up speed)."""
    default = __import__("gc").get_threshold()
    on_import = "import gc, sys\nfrom hypoplan.cli import app\nprint(gc.get_threshold(), file=sys.stderr)"
    assert _run_code(on_import) == str(default)
    in_main = ("import gc, sys\nsys.argv = ['hypoplan', 'check', '--help']\nfrom hypoplan.cli import main\n"
               "try:\n    main()\nexcept SystemExit:\n    pass\nprint(gc.get_threshold(), file=sys.stderr)")
    assert _run_code(in_main) == str((cli.GC_THRESHOLD0, *default[1:]))


def test_check_on_many_files_keeps_memory_bounded_with_the_raised_threshold(tmp_path):
    """Cycles are still collected: checking a folder of files stays far under the 300 MB target of issue 14."""
    import shutil

    if not Path("/proc/self/status").exists():
        pytest.skip("reads the peak memory from /proc (Linux)")
    shipped = sorted((Path(__file__).parent.parent / "hypotheses").glob("*.yaml"))
    for i in range(60):
        src = shipped[i % len(shipped)]
        shutil.copyfile(src, tmp_path / f"{src.stem}-{i:03d}.yaml")
    # VmHWM, the peak of the process's own memory (ru_maxrss would count the forking pytest process's)
    code = ("import atexit, os, sys\nsys.argv = ['hypoplan', *sys.argv[1:]]\n"
            "def peak():\n    with open('/proc/self/status') as f:\n"
            "        print(next(l for l in f if l.startswith('VmHWM')), file=sys.stderr)\n"
            "atexit.register(peak)\nfrom hypoplan.cli import main\nmain()")
    proc = subprocess.run([sys.executable, "-c", code, "check", str(tmp_path), "--quiet"],
                          check=False, capture_output=True, text=True)
    assert proc.returncode == 1  # the copies' ids differ from their file names (E023): every file was read
    peak_kb = int(proc.stderr.split("VmHWM:")[1].split()[0])
    assert 20_000 < peak_kb < 300_000


def test_the_console_script_exits_without_a_final_collection_but_runs_exit_handlers():
    """main() freezes the objects as it exits (the shutdown's full collection cost ~25% of a short command);
    atexit handlers still run, and the exit code is unchanged."""
    code = ("import atexit, gc, os, sys\nsys.argv = ['hypoplan', *sys.argv[1:]]\n"
            "atexit.register(lambda: os.write(2, b'handler ran'))\n"
            "from hypoplan.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n"
            "    print(f'frozen={gc.get_freeze_count() > 0} code={exc.code}', file=sys.stderr)\n    raise\n")
    shipped = str(Path(__file__).parent.parent / "hypotheses" / "mecfs-ne-vasomotion.yaml")
    for argv, code_expected in ((["check", shipped], 0), (["check", "no/such/file"], 2)):
        out = subprocess.run([sys.executable, "-c", code, *argv], check=False, capture_output=True, text=True)
        assert out.returncode == code_expected
        assert f"frozen=True code={code_expected}" in out.stderr
        assert out.stderr.rstrip().endswith("handler ran")
