"""The one module of hypoplan that runs git.

Every call passes an argument list to :func:`subprocess.run` (never a shell),
with ``--`` before paths and revisions checked first, so neither a file name
nor a revision can inject options or commands.  Failures become
:class:`~hypoplan.errors.UsageError` with a hint.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

__all__ = [
    "FileChange",
    "GitError",
    "changed_files",
    "list_files_at",
    "merge_base",
    "read_at",
    "read_many_at",
    "repo_root",
    "run_git",
    "split_rev_path",
]

#: Environment for git: no pager, no prompts, a fixed locale, no user configuration of diff output.
_ENV_OVERRIDES = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


class GitError(UsageError):
    """git failed or the folder is not a git repository."""


@dataclass(frozen=True)
class FileChange:
    """One changed file between two trees: ``status`` is added, deleted, modified or renamed."""

    status: str
    old_path: str | None
    new_path: str | None
    similarity: int | None = None


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git <args>`` in ``cwd`` (with the environment overrides and a time limit); :class:`GitError` when
    git is missing or times out.  The caller reads the exit code."""
    env = {**os.environ, **_ENV_OVERRIDES}
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=env, check=False,
                              timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed", hint="install git, or compare two files with 'hypoplan diff OLD NEW'") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} timed out", hint="try again, or compare files directly") from None


def run_git(args: list[str], cwd: Path) -> str:
    """Run ``git <args>`` in ``cwd`` and return its stdout; raise :class:`GitError` on failure."""
    proc = _git(args, cwd)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit code {proc.returncode}"
        raise GitError(f"git {args[0]} failed: {first}", hint="check the revision name and that this is a git repository")
    return proc.stdout.decode("utf-8", "surrogateescape")


def _check_rev(rev: str) -> str:
    if not rev or rev.startswith("-") or any(c in rev for c in "\x00\n\r"):
        raise GitError(f"invalid revision {rev!r}", hint="name a branch, tag or commit, such as main or HEAD~1")
    return rev


def repo_root(cwd: Path) -> Path:
    """The top folder of the git work tree containing ``cwd``."""
    return Path(run_git(["rev-parse", "--show-toplevel"], cwd).strip())


def merge_base(base: str, cwd: Path, head: str = "HEAD") -> str:
    """The commit where ``head`` branched from ``base`` (what a pull request is compared against)."""
    out = run_git(["merge-base", _check_rev(base), _check_rev(head)], cwd).strip()
    return out or base


def resolve_rev(rev: str, cwd: Path) -> str:
    """The full commit id of ``rev``."""
    _check_rev(rev)
    try:
        return run_git(["rev-parse", "--verify", "--quiet", rev + "^{commit}"], cwd).strip()
    except GitError:
        raise GitError(f"unknown revision {rev!r}",
                       hint="name a branch, tag or commit that exists here (in CI, fetch it: actions/checkout with "
                            "fetch-depth: 0)") from None


def read_at(rev: str, path: str, cwd: Path) -> str | None:
    """The text of ``path`` (relative to the repository top) at ``rev``, or ``None`` when it does not exist there."""
    _check_rev(rev)
    rel = path.replace(os.sep, "/").lstrip("/")
    try:
        kind = run_git(["cat-file", "-t", f"{rev}:{rel}"], cwd).strip()
    except GitError:
        return None
    if kind != "blob":
        return None
    data = run_git(["cat-file", "blob", f"{rev}:{rel}"], cwd)
    return data


def read_many_at(rev: str, paths: list[str], cwd: Path) -> dict[str, str | None]:
    """The texts of ``paths`` at ``rev`` read by one ``git cat-file --batch`` (``None`` where there is no blob)."""
    _check_rev(rev)
    rels = [p.replace(os.sep, "/").lstrip("/") for p in paths]
    if not rels:
        return {}
    if any("\n" in r or "\r" in r for r in rels):  # cannot be named on a --batch line: one by one
        return {p: read_at(rev, p, cwd) for p in paths}
    request = "".join(f"{rev}:{r}\n" for r in rels).encode("utf-8", "surrogateescape")
    proc = _git(["cat-file", "--batch"], cwd, request)
    if proc.returncode != 0:
        raise GitError("git cat-file failed", hint="check the revision name and that this is a git repository")
    out: dict[str, str | None] = {}
    data, at = proc.stdout, 0
    for path in paths:
        end = data.index(b"\n", at)
        header = data[at:end].split(b" ")
        at = end + 1
        found = len(header) == 3 and header[2].isdigit() and all(c in b"0123456789abcdef" for c in header[0])
        if found:
            size = int(header[2])
            body = data[at:at + size]
            at += size + 1
            out[path] = body.decode("utf-8", "surrogateescape") if header[1] == b"blob" else None
        else:  # "<name> missing" or "ambiguous"
            out[path] = None
    return out


def list_files_at(rev: str, folder: str, cwd: Path) -> list[str]:
    """Paths of the files under ``folder`` at ``rev`` (relative to the repository top)."""
    out = run_git(["ls-tree", "-r", "-z", "--name-only", _check_rev(rev), "--", folder or "."], cwd)
    return [p for p in out.split("\x00") if p]


def changed_files(base: str, cwd: Path, pathspecs: list[str] | None = None) -> list[FileChange]:
    """Files that differ between ``base`` and the working tree (with rename detection), plus untracked files.

    Uses ``git diff -M --name-status -z <base> -- <pathspecs>``; paths are relative to the repository top.
    """
    specs = pathspecs or ["."]
    out = run_git(["diff", "-M", "--no-color", "--no-ext-diff", "--name-status", "-z", _check_rev(base), "--", *specs], cwd)
    fields = [f for f in out.split("\x00")]
    changes: list[FileChange] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        code = status[0]
        if code in "RC":
            old, new = fields[i + 1], fields[i + 2]
            score = int(status[1:]) if status[1:].isdigit() else None
            if code == "R":
                changes.append(FileChange("renamed", old, new, score))
            else:
                changes.append(FileChange("added", None, new, score))
            i += 3
            continue
        path = fields[i + 1]
        if code == "A":
            changes.append(FileChange("added", None, path))
        elif code == "D":
            changes.append(FileChange("deleted", path, None))
        elif code in "MT":
            changes.append(FileChange("modified", path, path))
        i += 2
    untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", *specs], cwd)
    known = {c.new_path for c in changes}
    for path in untracked.split("\x00"):
        if path and path not in known:
            changes.append(FileChange("added", None, path))
    return changes


def split_rev_path(spec: str) -> tuple[str | None, str]:
    """Split ``REV:path`` into ``(rev, path)``; a plain path (or a Windows drive) gives ``(None, spec)``."""
    if ":" in spec:
        rev, path = spec.split(":", 1)
        if rev and len(rev) > 1 and not Path(spec).exists():
            return rev, path
    return None, spec
