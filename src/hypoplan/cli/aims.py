"""``hypoplan aims``: an NIH Specific Aims scaffold from the author's own hypothesis and plan."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from . import app
from .common import check_output, err, handle_errors, write_output


class AimsFormat(str, Enum):
    markdown = "markdown"
    docx = "docx"


@app.command()
@handle_errors
def aims(
    file: str = typer.Argument(..., help="A hypothesis file (YAML or .dagitty), or - for stdin."),
    format: AimsFormat = typer.Option(AimsFormat.markdown, "--format", "-f", help="Output format (docx needs python-docx)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout (required for docx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Draft the skeleton of an NIH Specific Aims page: opening, gap, goal, objective, central hypothesis,
    rationale, 2-3 aims from the study plan, expected outcomes and impact.

    Only what the hypothesis file and its plan contain is filled in; everything else is left as
    [AUTHOR: ...] for you to write (NIH NOT-OD-25-132: sections substantially developed by AI are not
    the applicant's own work). Warns on stderr when the page is over the one-page word budget, naming the section(s) to cut.

    Examples:

        hypoplan aims hypotheses/mecfs-ne-vasomotion.yaml -o out/aims.md

        hypoplan aims hypotheses/mecfs-ne-vasomotion.yaml --format docx -o out/aims.docx
    """
    from ..errors import UsageError
    from ..render.aims import aims_docx, aims_markdown, build_aims
    from .render import load_hypothesis, stdout_is_terminal, try_plan

    hypothesis, repo = load_hypothesis(file)
    if format is AimsFormat.docx and (output is None or str(output) == "-") and stdout_is_terminal():
        raise UsageError("refusing to write a .docx to a terminal", hint="pass -o FILE.docx")
    check_output(output, force=force)
    scaffold = build_aims(hypothesis, try_plan(hypothesis, repo))
    data: str | bytes = aims_docx(scaffold) if format is AimsFormat.docx else aims_markdown(scaffold)
    warning = scaffold.budget_warning()
    if warning:
        err(f"warning: {warning}")
    write_output(output, data, force=force)
