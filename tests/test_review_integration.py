"""The pre-commit hooks and the GitHub workflows: valid, pointing at real commands, and safe with forks."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML

from hypoplan.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _load(rel: str):
    return YAML(typ="safe").load((ROOT / rel).read_text(encoding="utf-8"))


def _commands() -> set[str]:
    return {c.name or c.callback.__name__ for c in app.registered_commands}


def test_pre_commit_hooks_are_valid_and_run_real_commands():
    hooks = _load(".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["hypoplan-check", "hypoplan-lint", "hypoplan-fmt"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= hook.keys() and hook["language"] == "python"
        program, command = hook["entry"].split()[:2]
        assert program == "hypoplan" and command in _commands()
        files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
        assert files.search("hypotheses/mecfs-ne-vasomotion.yaml") and files.search("hypotheses/x.yml")
        assert not files.search("src/hypoplan/design/data/catalog.yaml")
        assert exclude.search("hypotheses/catalog.yaml") and not exclude.search("hypotheses/x.yaml")


def test_review_workflow_is_read_only_and_runs_on_pull_request():
    wf = _load(".github/workflows/hypoplan-review.yml")
    triggers = wf.get("on", wf.get(True))
    assert set(triggers) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    text = (ROOT / ".github/workflows/hypoplan-review.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "pull_request_target" not in text
    runs = " ".join(step.get("run", "") for step in wf["jobs"]["review"]["steps"])
    for command in ("hypoplan check", "hypoplan lint", "hypoplan review"):
        assert command in runs
    assert runs.count("--format github") == 3 and "--comment-file" in runs
    # untrusted event fields reach the shell only through environment variables
    assert not re.search(r"run:[^\n]*\$\{\{", text)


def test_comment_workflow_never_checks_out_pr_code():
    wf = _load(".github/workflows/hypoplan-comment.yml")
    triggers = wf.get("on", wf.get(True))
    assert set(triggers) == {"workflow_run"} and triggers["workflow_run"]["workflows"] == ["hypoplan review"]
    steps = wf["jobs"]["comment"]["steps"]
    assert not any("checkout" in step.get("uses", "") for step in steps)
    assert not any("run" in step for step in steps)
    assert wf["permissions"] == {"actions": "read", "pull-requests": "write"}
    script = steps[-1]["with"]["script"]
    assert "/^[0-9]{1,9}$/" in script and "head_sha" in script and "<!-- hypoplan-review -->" in script


def test_docs_describe_every_lint_rule():
    from hypoplan.review.lint import RULES

    doc = (ROOT / "docs" / "pr-review.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert f"| {code} | {rule.severity.value} |" in doc
