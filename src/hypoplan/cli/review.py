"""``hypoplan review``: review every hypothesis file changed since a base revision."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from .common import handle_errors
from .diff import FailOn, ReviewFormat, emit_review


@app.command()
@handle_errors
def review(
    paths: list[Path] = typer.Argument(None, help="Folders or files to consider (default: hypotheses/)."),
    base: str = typer.Option("HEAD", "--base", "-b", help="Base revision (a PR's target branch, e.g. origin/main)."),
    format: ReviewFormat = typer.Option(ReviewFormat.markdown, "--format", "-f", help="markdown (PR comment), json or github (annotations)."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 when a finding of this severity (or worse) is present."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    comment_file: Path = typer.Option(None, "--comment-file", help="Also write the Markdown comment to this file (e.g. for a CI artifact)."),
    no_merge_base: bool = typer.Option(False, "--no-merge-base", help="Compare with BASE itself, not with where the branch left it."),
    no_plan: bool = typer.Option(False, "--no-plan", help="Skip the study-plan consequences (controls, sample size)."),
) -> None:
    """Review hypothesis changes between a base revision and the working tree.

    Every hypothesis file that was added, deleted, renamed (git's rename
    detection) or modified is compared semantically; the result is a PR
    comment (Markdown), JSON, or GitHub annotations (with the full comment
    appended to $GITHUB_STEP_SUMMARY). Exit 1 when --fail-on is met.

    Examples:

        hypoplan review                      # uncommitted changes

        hypoplan review --base origin/main --format github --comment-file review.md

        hypoplan review --base main --format json --fail-on never
    """
    from ..review.pipeline import review_worktree

    report = review_worktree(base, Path.cwd(), [str(p) for p in paths] if paths else None,
                             with_plan=not no_plan, use_merge_base=not no_merge_base)
    emit_review(report, format, output, force, comment_file, fail_on)
