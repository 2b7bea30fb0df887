"""The documented GitHub Pages workflow (docs/examples/registry-pages.yml) is valid and builds what it uploads."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from hypoplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "examples" / "registry-pages.yml"


def _load() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as True
    return data


def _hypoplan_commands(data: dict) -> list[list[str]]:
    out = []
    for job in data["jobs"].values():
        for step in job["steps"]:
            for line in step.get("run", "").splitlines():
                words = shlex.split(line)
                if words and words[0] == "hypoplan":
                    out.append(words[1:])
    return out


def test_workflow_has_the_pages_permissions_and_actions():
    data = _load()
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "push" in data["on"] and "workflow_dispatch" in data["on"]
    uses = [s.get("uses", "").split("@")[0] for job in data["jobs"].values() for s in job["steps"]]
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    assert data["jobs"]["deploy"]["needs"] == "build"
    assert data["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    checkout = next(s for s in data["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_workflow_hypoplan_commands_parse_and_upload_the_site_folder():
    import typer.main

    data = _load()
    commands = _hypoplan_commands(data)
    assert [c[0] for c in commands] == ["check", "site"]
    group = typer.main.get_command(app)
    for words in commands:
        sub = group.get_command(None, words[0])  # type: ignore[arg-type]
        assert sub is not None, words
        sub.make_context(words[0], list(words[1:]))  # raises on an unknown option or a missing argument
    site = commands[1]
    out = site[site.index("-o") + 1]
    upload = next(s for s in data["jobs"]["build"]["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == out
    assert site[1] == "hypotheses"


def test_workflow_site_command_builds_a_site(runner, tmp_path, monkeypatch):
    """Run the workflow's commands as written, in a copy of a small registry."""
    import shutil

    work = tmp_path / "repo"
    (work / "hypotheses").mkdir(parents=True)
    for name in ("ne-vasomotion-glymphatic.yaml", "ne-dysfunction-brain-fog.yaml"):
        shutil.copy(ROOT / "hypotheses" / name, work / "hypotheses" / name)
    monkeypatch.chdir(work)
    for words in _hypoplan_commands(_load()):
        res = runner.invoke(app, words)
        assert res.exit_code == 0, (words, res.output)
    assert (work / "_site" / "index.html").is_file() and (work / "_site" / "map.html").is_file()
