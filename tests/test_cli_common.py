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
