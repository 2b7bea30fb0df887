"""``hypoplan review`` and ``hypoplan diff`` on real git repositories built in temporary folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_helpers import commit, git, hypothesis_text, init_repo, write

from hypoplan.cli import app
from hypoplan.review.pipeline import review_specs, review_worktree


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root, "hypotheses/h1.yaml", hypothesis_text())
    write(root, "README.md", "not a hypothesis\n")
    commit(root, "initial")
    return root


def _kinds(report) -> list[str]:
    return [c.kind for f in report.files for c in f.changes]


def _edit(repo: Path, old: str, new: str, rel: str = "hypotheses/h1.yaml") -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_no_changes_gives_empty_review(repo: Path):
    report = review_worktree("HEAD", repo)
    assert report.files == ()
    assert not report.fails("warning")


def test_added_file_lists_its_nodes_and_edges(repo: Path):
    write(repo, "hypotheses/h2.yaml", hypothesis_text("h2", "Another"))
    report = review_worktree("HEAD", repo)  # untracked files count as added
    [f] = report.files
    assert (f.status, f.old_path, f.new_path, f.new_id) == ("added", None, "hypotheses/h2.yaml", "h2")
    kinds = _kinds(report)
    assert kinds.count("node-added") == 4 and kinds.count("edge-added") == 4


def test_deleted_file(repo: Path):
    git(repo, "rm", "-q", "hypotheses/h1.yaml")
    report = review_worktree("HEAD", repo)
    [f] = report.files
    assert (f.status, f.old_path, f.new_path, f.old_id) == ("deleted", "hypotheses/h1.yaml", None, "h1")
    assert _kinds(report).count("edge-removed") == 4


def test_rename_is_detected_by_git(repo: Path):
    git(repo, "mv", "hypotheses/h1.yaml", "hypotheses/renamed.yaml")
    _edit(repo, "id: h1", "id: renamed", "hypotheses/renamed.yaml")
    report = review_worktree("HEAD", repo)
    [f] = report.files
    assert (f.status, f.old_path, f.new_path) == ("renamed", "hypotheses/h1.yaml", "hypotheses/renamed.yaml")
    assert _kinds(report) == ["id-changed"]
    assert not f.problems


def test_sign_flip_without_new_evidence_is_a_warning(repo: Path):
    _edit(repo, 'target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    report = review_worktree("HEAD", repo)
    [change] = report.files[0].changes
    assert change.kind == "sign-flipped" and change.severity == "warning"
    assert (change.before, change.after) == ("positive", "negative")
    assert change.line == 28  # the line of the sign in the new file
    assert report.fails("warning") and not report.fails("error")


def test_evidence_removed_and_added_with_citations(repo: Path):
    _edit(repo, "citation: doi:10.1000/abc\n        reference: Smith 2020",
          "citation: pmid:12345\n        reference: Jones 2021")
    report = review_worktree("HEAD", repo)
    changes = {c.kind: c for c in report.files[0].changes}
    assert "pmid:12345" in changes["evidence-added"].message
    assert "doi:10.1000/abc" in changes["evidence-removed"].message
    assert "evidence-removed-confidence-kept" not in changes  # replaced, and new evidence was added


def test_evidence_removed_but_confidence_kept_is_a_warning(repo: Path):
    _edit(repo, """    evidence:
      - citation: doi:10.1000/abc
        reference: Smith 2020
        design: rct
        finding: X raises M
""", "")
    _edit(repo, "confidence: suggestive", "confidence: speculative")
    report = review_worktree("HEAD", repo)
    kinds = _kinds(report)
    assert "evidence-removed" in kinds and "confidence-lowered" in kinds
    assert "evidence-removed-confidence-kept" not in kinds
    assert not report.fails("warning")


def test_confidence_raised_without_evidence_warns(repo: Path):
    _edit(repo, "confidence: suggestive", "confidence: established")
    [c] = review_worktree("HEAD", repo).files[0].changes
    assert (c.kind, c.severity) == ("confidence-raised", "warning")


def test_invalid_new_version_is_an_error(repo: Path):
    _edit(repo, "status: idea", "status: proven-beyond-doubt")
    report = review_worktree("HEAD", repo)
    f = report.files[0]
    assert [d.code for d in f.problems] == ["E010"]
    assert report.fails("error")


def test_check_errors_of_new_version_are_reported(repo: Path):
    _edit(repo, "  - source: c\n    target: y\n", "  - source: c\n    target: nowhere\n")
    report = review_worktree("HEAD", repo)
    assert "E021" in [d.code for d in report.files[0].problems]


def test_committed_branch_compared_with_merge_base(repo: Path):
    git(repo, "checkout", "-q", "-b", "feature")
    _edit(repo, "title: Test hypothesis", "title: Better title")
    commit(repo, "retitle")
    git(repo, "checkout", "-q", "main")
    write(repo, "hypotheses/other.yaml", hypothesis_text("other"))
    commit(repo, "unrelated change on main")
    git(repo, "checkout", "-q", "feature")
    report = review_worktree("main", repo)
    # only the branch's own change, not main's later addition of other.yaml
    assert [(f.path, [c.kind for c in f.changes]) for f in report.files] == [("hypotheses/h1.yaml", ["title-changed"])]


def test_extends_resolved_at_the_base_revision(repo: Path):
    write(repo, "hypotheses/child.yaml", """\
        id: child
        title: Child
        extends: [h1]
        nodes:
          - id: z
        edges:
          - source: z
            target: y
        """)
    commit(repo, "child")
    _edit(repo, "  - source: z\n", "  - source: z\n    sign: negative\n", "hypotheses/child.yaml")
    report = review_worktree("HEAD", repo)
    [f] = report.files
    assert not f.problems
    assert [c.kind for c in f.changes] == ["sign-changed"]


def test_diff_reads_rev_path_through_git(repo: Path, monkeypatch: pytest.MonkeyPatch):
    _edit(repo, 'target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    monkeypatch.chdir(repo / "hypotheses")
    report = review_specs("HEAD:hypotheses/h1.yaml", "h1.yaml", Path.cwd())
    assert _kinds(report) == ["sign-flipped"]


def test_diff_accepts_git_paths_relative_to_the_working_folder(repo: Path, monkeypatch: pytest.MonkeyPatch):
    _edit(repo, "confidence: suggestive", "confidence: supported")
    monkeypatch.chdir(repo / "hypotheses")
    report = review_specs("HEAD:./h1.yaml", "h1.yaml", Path.cwd())
    assert _kinds(report) == ["confidence-raised"]


def test_review_of_a_path_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path):
    from hypoplan.errors import UsageError

    with pytest.raises(UsageError, match="outside the git repository"):
        review_worktree("HEAD", repo, [str(tmp_path)])


def test_cli_review_json_and_exit_policy(repo: Path, runner, monkeypatch: pytest.MonkeyPatch):
    _edit(repo, 'target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["review", "--format", "json", "--no-plan"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["warning"] == 1
    assert data["files"][0]["changes"][0]["kind"] == "sign-flipped"
    assert runner.invoke(app, ["review", "--fail-on", "warning", "--no-plan"]).exit_code == 1
    assert runner.invoke(app, ["review", "--fail-on", "never", "--no-plan"]).exit_code == 0


def test_cli_review_github_writes_step_summary(repo: Path, runner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    _edit(repo, 'target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    summary = tmp_path / "summary.md"
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = runner.invoke(app, ["review", "--format", "github", "--no-plan", "--comment-file", str(tmp_path / "c.md")])
    assert result.exit_code == 0
    assert result.stdout.startswith("::warning file=hypotheses/h1.yaml,line=28,")
    assert "sign flipped" in summary.read_text(encoding="utf-8")
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == summary.read_text(encoding="utf-8")


def test_cli_diff_bad_revision_is_a_usage_error(repo: Path, runner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["diff", "nosuchrev:hypotheses/h1.yaml", "hypotheses/h1.yaml"])
    assert result.exit_code == 2
    assert "no such file at revision nosuchrev" in result.stderr
    result = runner.invoke(app, ["review", "--base", "--upload-pack=evil"])
    assert result.exit_code == 2 and "invalid revision" in result.stderr
    result = runner.invoke(app, ["review", "--base", "origin/nosuchbranch"])
    assert result.exit_code == 2 and "unknown revision 'origin/nosuchbranch'" in result.stderr


def test_cli_comment_file_is_not_overwritten_without_force(repo: Path, runner, monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path):
    _edit(repo, 'target: y\n    sign: "+"', 'target: y\n    sign: "-"')
    monkeypatch.chdir(repo)
    comment = tmp_path / "review.md"
    comment.write_text("precious", encoding="utf-8")
    refused = runner.invoke(app, ["review", "--no-plan", "--comment-file", str(comment)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert refused.stdout == ""  # refused before anything was written
    assert comment.read_text(encoding="utf-8") == "precious"
    forced = runner.invoke(app, ["review", "--no-plan", "--comment-file", str(comment), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "sign flipped" in comment.read_text(encoding="utf-8")


def test_cli_diff_of_a_folder_or_missing_file_is_a_usage_error(repo: Path, runner, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo)
    folder = runner.invoke(app, ["diff", "hypotheses/h1.yaml", "hypotheses"])
    assert folder.exit_code == 2 and "hypotheses: a folder" in folder.stderr
    assert folder.stdout == ""  # no review of a "deleted" hypothesis
    missing = runner.invoke(app, ["diff", "hypotheses/h1.yaml", "nope.yaml"])
    assert missing.exit_code == 2 and "nope.yaml: no such file" in missing.stderr
