"""The old side of a review reads from git only the hypotheses it needs (issue 14)."""

from __future__ import annotations

from pathlib import Path

from review_helpers import git, hypothesis_text, init_repo

from hypoplan.review import git as gitmod
from hypoplan.review.pipeline import _git_repository


def _repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "r")
    folder = root / "hypotheses"
    folder.mkdir()
    for i in range(5):
        (folder / f"h{i}.yaml").write_text(hypothesis_text(f"h{i}"), encoding="utf-8")
    (folder / "odd name.yaml").write_text(hypothesis_text("stem-differs"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def test_read_many_at_reads_blobs_and_reports_missing_ones(tmp_path: Path):
    root = _repo(tmp_path)
    texts = gitmod.read_many_at("HEAD", ["hypotheses/h1.yaml", "hypotheses/nope.yaml", "hypotheses/odd name.yaml",
                                         "hypotheses"], root)
    assert texts["hypotheses/h1.yaml"] == hypothesis_text("h1")
    assert texts["hypotheses/odd name.yaml"] == hypothesis_text("stem-differs")
    assert texts["hypotheses/nope.yaml"] is None and texts["hypotheses"] is None  # missing; a tree is not a file
    assert gitmod.read_many_at("HEAD", [], root) == {}


def test_old_side_repository_reads_only_what_is_named(tmp_path: Path, monkeypatch):
    root = _repo(tmp_path)
    asked: list[list[str]] = []
    original = gitmod.read_many_at

    def spy(rev: str, paths: list[str], cwd: Path) -> dict[str, str | None]:
        asked.append(list(paths))
        return original(rev, paths, cwd)

    monkeypatch.setattr(gitmod, "read_many_at", spy)
    repo = _git_repository("HEAD", "hypotheses", root)
    assert repo.find("h3").hypothesis.id == "h3"
    assert asked == [["hypotheses/h3.yaml"]]
    assert repo.find("h3") is not None and len(asked) == 1  # cached
    # an id held by a file of another name: every file is read once, as the eager repository did
    assert repo.find("stem-differs").path.name == "odd name.yaml"
    assert repo.find("nowhere") is None
    assert len(asked) == 3 and len(asked[2]) == 6
