"""``hypoplan protocol``: a SPIRIT, OSF or AsPredicted skeleton filled only from the hypothesis and its plan."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from . import app
from .common import check_output, err, handle_errors, write_output


class Template(str, Enum):
    spirit = "spirit"
    osf_prereg = "osf-prereg"
    aspredicted = "aspredicted"


class To(str, Enum):
    md = "md"
    docx = "docx"
    json = "json"


@app.command()
@handle_errors
def protocol(
    file: str = typer.Argument(..., help="A hypothesis file (YAML or .dagitty), or - for stdin."),
    template: Template = typer.Option(Template.spirit, "--template", "-t", help="SPIRIT 2013 items, the OSF Preregistration sections, or the AsPredicted questions."),
    to: To = typer.Option(To.md, "--to", help="Output format: Markdown, Word (needs python-docx) or JSON."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout (required for docx)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Write a protocol or preregistration skeleton filled only from the hypothesis file, its study plan
    and estimand: design, outcomes, sample size, and an analysis plan that states the estimator the design
    chose (model formula, adjustment set, repeated nights, multiplicity).

    Every item the plan cannot fill is an [AUTHOR: ...] placeholder saying what is needed; the count is
    printed on stderr.

    Examples:

        hypoplan protocol hypotheses/mecfs-ne-vasomotion.yaml -o out/protocol.md

        hypoplan protocol hypotheses/mecfs-ne-vasomotion.yaml --template osf-prereg --to docx -o prereg.docx

        hypoplan protocol hypotheses/mecfs-ne-vasomotion.yaml -t aspredicted --to json
    """
    import json

    from ..errors import UsageError
    from ..render.protocol import build_protocol, protocol_docx, protocol_json, protocol_markdown
    from .render import load_hypothesis, stdout_is_terminal, try_plan

    if to is To.docx and (output is None or str(output) == "-") and stdout_is_terminal():
        raise UsageError("refusing to write a .docx to a terminal", hint="pass -o FILE.docx")
    check_output(output, force=force)
    hypothesis, repo = load_hypothesis(file)
    skeleton = build_protocol(hypothesis, try_plan(hypothesis, repo), template.value)
    if to is To.docx:
        data: str | bytes = protocol_docx(skeleton)
    elif to is To.json:
        data = json.dumps(protocol_json(skeleton), indent=2, ensure_ascii=False) + "\n"
    else:
        data = protocol_markdown(skeleton)
    open_items = sum(1 for item in skeleton.items if item.placeholders)
    err(f"{open_items} of {len(skeleton.items)} items need the author ([AUTHOR: ...])")
    write_output(output, data, force=force)
