"""``hypoplan diff OLD NEW``: the semantic difference between two versions of a hypothesis."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from . import app
from .common import check_output, err, handle_errors, write_output

if TYPE_CHECKING:
    from ..review.pipeline import ReviewReport


class ReviewFormat(str, Enum):
    markdown = "markdown"
    json = "json"
    github = "github"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def emit_review(report: ReviewReport, format: ReviewFormat, output: Path | None, force: bool,
                comment_file: Path | None, fail_on: FailOn) -> None:
    """Print or write a review in ``format``; in ``github`` mode also fill the job summary. Exit by ``fail_on``."""
    from ..review.report import to_github, to_json, to_markdown

    check_output(output, force=force)
    check_output(comment_file, force=force)
    markdown = to_markdown(report)
    if format is ReviewFormat.github:
        text, dropped = to_github(report)
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(markdown)
        if dropped:
            where = "the job summary" if summary else "--format markdown"
            err(f"{dropped} more finding(s) than GitHub shows as annotations: see {where}")
        write_output(output, text, force=force)
    elif format is ReviewFormat.json:
        write_output(output, to_json(report) + "\n", force=force)
    else:
        write_output(output, markdown, force=force)
    if comment_file is not None:
        write_output(comment_file, markdown, force=force)
    counts = {s: report.count(s) for s in ("error", "warning")}
    err(f"{len(report.files)} file(s) reviewed: {counts['error']} error(s), {counts['warning']} warning(s)")
    if report.fails(fail_on.value):
        raise typer.Exit(1)


@app.command()
@handle_errors
def diff(
    old: str = typer.Argument(..., help="Old version: a file, or REV:path read through git (e.g. main:hypotheses/x.yaml)."),
    new: str = typer.Argument(..., help="New version: a file, or REV:path."),
    format: ReviewFormat = typer.Option(ReviewFormat.markdown, "--format", "-f", help="markdown (PR comment), json or github (annotations)."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 when a finding of this severity (or worse) is present."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    comment_file: Path = typer.Option(None, "--comment-file", help="Also write the Markdown comment to this file."),
    no_plan: bool = typer.Option(False, "--no-plan", help="Skip the study-plan consequences (controls, sample size)."),
) -> None:
    """Semantic diff of two versions of a hypothesis: changed claims and their consequences.

    Reports nodes and edges added or removed, sign flips, confidence and
    evidence changes, focus changes, and before → after adjustment sets,
    identifiability, testable implications, controls and sample size.

    Examples:

        hypoplan diff old.yaml hypotheses/mecfs-ne-vasomotion.yaml

        hypoplan diff main:hypotheses/mecfs-ne-vasomotion.yaml hypotheses/mecfs-ne-vasomotion.yaml --format json

        hypoplan diff HEAD~1:hypotheses/x.yaml HEAD:hypotheses/x.yaml --fail-on warning
    """
    from ..review.pipeline import review_specs

    report = review_specs(old, new, Path.cwd(), with_plan=not no_plan)
    emit_review(report, format, output, force, comment_file, fail_on)
