"""``hypoplan fmt``: rewrite hypothesis YAML in the canonical layout, keeping comments."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from .common import atomic_write, display_path, err, handle_errors


@app.command()
@handle_errors
def fmt(
    paths: list[Path] = typer.Argument(None, help="Files or folders (default: hypotheses/)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if any file would be reformatted."),
    diff: bool = typer.Option(False, "--diff", help="Show what would change as a unified diff (implies --check)."),
) -> None:
    """Format hypothesis YAML: canonical key order and indentation, quoted signs, comments kept.

    The result is checked before anything is written: it must load to the same
    hypothesis and keep every comment, otherwise the file is left untouched.
    Writes are atomic. Formatting twice changes nothing.

    Examples:

        hypoplan fmt

        hypoplan fmt --check            # in CI or pre-commit

        hypoplan fmt hypotheses/mecfs-ne-vasomotion.yaml --diff
    """
    import difflib

    from ..errors import HypoplanError, UsageError
    from ..loader import iter_hypothesis_paths
    from ..review.fmt import format_text
    from ..yamlio import read_text

    check = check or diff
    paths = list(paths or [Path("hypotheses")])
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder", hint="give a hypothesis file or a folder of them")
    changed, failed, total = [], 0, 0
    for path in iter_hypothesis_paths(paths):
        if path.suffix.lower() == ".dagitty":
            if path in paths:  # named explicitly: say why nothing happens
                err(f"skipped {display_path(path)}: fmt formats hypothesis YAML, not DAGitty diagrams")
            continue
        total += 1
        shown = display_path(path)
        try:
            text = read_text(path, shown)
            result = format_text(text, shown)
        except HypoplanError as exc:
            failed += 1
            err(str(exc))
            continue
        if result == text:
            continue
        changed.append(shown)
        if check:
            err(f"would reformat {shown}")
            if diff:
                typer.echo("".join(difflib.unified_diff(text.splitlines(True), result.splitlines(True),
                                                        f"{shown} (current)", f"{shown} (formatted)")), nl=False)
        else:
            atomic_write(path, result)
            err(f"reformatted {shown}")
    unchanged = total - len(changed) - failed
    verb = "would be reformatted" if check else "reformatted"
    err(f"{len(changed)} file(s) {verb}, {unchanged} unchanged" + (f", {failed} could not be formatted" if failed else ""))
    if check and changed:
        err("run 'hypoplan fmt' to fix (or 'hypoplan fmt --diff' to see the changes)")
    if failed or (check and changed):
        raise typer.Exit(1)
