"""CLI plumbing: atomic writes and refusing to overwrite."""

from __future__ import annotations

import os
import stat

import pytest

from hypoplan.cli.common import atomic_write, write_output
from hypoplan.errors import UsageError


def test_atomic_write_new_file_gets_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "sub" / "out.txt"
        atomic_write(target, "hello")
        assert target.read_text() == "hello"
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_atomic_write_keeps_existing_permissions_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o600)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_write_output_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "plan.md"
    target.write_text("precious")
    with pytest.raises(UsageError) as info:
        write_output(target, "replacement")
    assert info.value.exit_code == 2 and "--force" in info.value.hint
    assert target.read_text() == "precious"
    write_output(target, "replacement", force=True)
    assert target.read_text() == "replacement"


# --- output targets that are not plain new files -------------------------------------------------------------

from hypoplan.cli import app  # noqa: E402

SHIPPED = "hypotheses/mecfs-ne-vasomotion.yaml"
WRITERS = [
    ["analyze", SHIPPED],
    ["render", SHIPPED],
    ["aims", SHIPPED],
    ["export", SHIPPED, "--to", "json"],
    ["schema"],
    ["diff", SHIPPED, SHIPPED],
]


@pytest.fixture
def at_root(monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_output_to_a_folder_is_a_usage_error_even_with_force(runner, tmp_path, command, at_root):
    result = runner.invoke(app, [*command, "-o", str(tmp_path), "--force"])
    assert result.exit_code == 2, result.output
    assert "is a folder" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: c[0])
def test_output_under_a_file_is_a_usage_error(runner, tmp_path, command, at_root):
    (tmp_path / "plain").write_text("x")
    result = runner.invoke(app, [*command, "-o", str(tmp_path / "plain" / "out.txt"), "--force"])
    assert result.exit_code == 2, result.output
    assert "is not a folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_write_output_writes_into_a_fifo_instead_of_replacing_it(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        write_output(fifo, "through the pipe\n")  # no --force needed: nothing is overwritten
    finally:
        reader.join(timeout=2)
        if reader.is_alive() and stat.S_ISFIFO(fifo.stat().st_mode):  # nothing was written: unblock the reader
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_write_output_reports_an_os_error_as_a_usage_error(tmp_path, monkeypatch):
    from hypoplan.cli import common

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common, "atomic_write", full)
    with pytest.raises(UsageError) as info:
        write_output(tmp_path / "out.txt", "x")
    assert "No space left on device" in info.value.message and str(tmp_path / "out.txt") in info.value.message


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("old")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    atomic_write(link, "new")
    assert link.is_symlink() and real.read_text() == "new"

