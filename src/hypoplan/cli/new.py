"""``hypoplan new``: scaffold a hypothesis from a statement, flags, or the causal sentences of a text."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import typer

from . import app
from .common import check_hypothesis_id, err, handle_errors, schema_path_for, warn_if_stem_differs, write_output


def stdin_is_terminal() -> bool:
    """Whether to ask questions (a seam for tests: the test runner replaces stdin)."""
    return sys.stdin.isatty()


def _id_from_name(stem: str, slug: Callable[[str], str]) -> str:
    """A file name as the hypothesis id: kept when it is a valid id, else made into one (``9 lives`` → ``h-9-lives``).

    A name that is a valid id but too long is a usage error, never a cut id.
    """
    from ..schema import ID_PATTERN

    return check_hypothesis_id(stem, f"the file name {stem + '.yaml'!r}") if re.match(ID_PATTERN, stem) else slug(stem)


@app.command()
@handle_errors
def new(
    statement: str | None = typer.Option(None, "--statement", "-s", help="One-line hypothesis: 'X causes Y in POPULATION'."),
    id: str | None = typer.Option(None, "--id", help="Hypothesis id (default: from the statement; also the file name)."),
    exposure: str | None = typer.Option(None, "--exposure", help="Exposure (cause) label."),
    outcome: str | None = typer.Option(None, "--outcome", help="Outcome (effect) label."),
    population: str | None = typer.Option(None, "--population", help="Population, e.g. 'adults with ME/CFS'."),
    title: str | None = typer.Option(None, "--title", help="Title (default: the statement)."),
    from_text: Path | None = typer.Option(None, "--from-text", help="Draft candidate nodes and edges from a text (forum post, abstract)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: hypotheses/<id>.yaml; '-' for stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Scaffold a new hypothesis file that 'hypoplan check' accepts.

    Give a one-line statement, or the exposure and outcome; when stdin is a
    terminal, missing answers are asked for. With --from-text, every causal
    sentence of the text becomes a candidate edge that quotes its sentence,
    graded by its language (a hedge such as 'may' gives 'speculative'; 'is
    linked to' gives an unknown sign) and marked '# TODO confirm': a draft,
    never a claim.

    Examples:

        hypoplan new -s "impaired NE pumping causes unrefreshing sleep in ME/CFS"

        hypoplan new --id ne-pain --exposure "NE deficit" --outcome "pain threshold" --population "adults with fibromyalgia"

        hypoplan new --from-text post.txt --id forum-draft -o -
    """
    from ..errors import UsageError
    from ..review.new import draft, draft_yaml, extract_claims, parse_statement, slug
    from ..yamlio import read_text

    if id is not None:
        check_hypothesis_id(id, "--id")
    exposure, outcome = (exposure or "").strip() or None, (outcome or "").strip() or None
    interactive = stdin_is_terminal() and from_text is None
    if statement is None and not (exposure and outcome) and from_text is None:
        if not interactive:
            raise UsageError("nothing to scaffold from",
                             hint="give --statement, or --exposure and --outcome, or --from-text FILE")
        statement = typer.prompt("Hypothesis in one line (e.g. 'X causes Y in POPULATION')")
    claims = []
    source = None
    if statement:
        x, y, pop, claim = parse_statement(statement)
        if claim is not None:
            claims.append(replace(claim, confidence="speculative"))  # a statement is a hypothesis, not evidence
        exposure = exposure or x
        outcome = outcome or y
        population = population or pop
        if interactive:
            exposure = typer.prompt("Exposure (the cause)", default=exposure or "")
            outcome = typer.prompt("Outcome (the effect)", default=outcome or "")
            population = typer.prompt("Population", default=population or "") or None
        if not (exposure and outcome):
            raise UsageError(f"cannot tell the exposure and outcome in {statement!r}",
                             hint="write it as 'X causes Y in POPULATION', or give --exposure and --outcome")
    if exposure and outcome and " ".join(exposure.split()).casefold() == " ".join(outcome.split()).casefold():
        raise UsageError(f"the exposure and the outcome are the same ({exposure!r})",
                         hint="a hypothesis relates two different things: give another --outcome")
    if from_text is not None:
        if not from_text.is_file():
            raise UsageError(f"{from_text}: no such file", hint="give a text file (a forum post, an abstract)")
        text = read_text(from_text, str(from_text))
        found = extract_claims(text)
        err(f"{len(found)} candidate relation(s) found in {from_text}")
        if not found and not (exposure and outcome):
            raise UsageError(f"no causal sentence found in {from_text}",
                             hint="give --exposure and --outcome to start the draft by hand")
        claims.extend(found)
        source = from_text.name
    hypothesis_id = id or (_id_from_name(output.stem, slug) if output is not None and str(output) != "-" else None) or slug(
        statement or (f"{exposure} {outcome}" if exposure and outcome else from_text.stem if from_text else "draft"))
    title = title or (statement[:1].upper() + statement[1:] if statement else
                      f"{exposure} affects {outcome}" if exposure and outcome else f"Draft from {source}")
    d = draft(hypothesis_id=hypothesis_id, title=title, claims=claims, exposure=exposure, outcome=outcome,
              population=population, source=source, statement=statement)
    for message in d.skipped:
        err(f"skipped {message}")
    target = output if output is not None else Path("hypotheses") / f"{hypothesis_id}.yaml"
    text_out = draft_yaml(d, schema_path=schema_path_for(target))
    write_output(target, text_out, force=force)
    warn_if_stem_differs(target, hypothesis_id)
    if str(target) != "-":
        err(f"next: edit {target}, then run 'hypoplan check {target}' and 'hypoplan lint {target}'")
