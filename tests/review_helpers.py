"""Helpers for the review tests: real git repositories in temporary folders and small hypothesis texts."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

BASE = """\
id: {id}
title: {title}
status: idea
focus:
  exposure: x
  outcome: y
nodes:
  - id: x
    label: Exposure
  - id: m
    label: Mediator
  - id: y
    label: Outcome
  - id: c
    label: Confounder
edges:
  - source: x
    target: m
    sign: "+"
    confidence: suggestive
    evidence:
      - citation: doi:10.1000/abc
        reference: Smith 2020
        design: rct
        finding: X raises M
  - source: m
    target: y
    sign: "+"
  - source: c
    target: x
  - source: c
    target: y
"""


def hypothesis_text(id: str = "h1", title: str = "Test hypothesis") -> str:
    return BASE.format(id=id, title=title)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def init_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "Test")
    git(root, "config", "commit.gpgsign", "false")
    return root


def write(repo: Path, rel: str, text: str) -> Path:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def commit(repo: Path, message: str = "commit") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
