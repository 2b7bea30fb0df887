"""``hypoplan check``: validate hypothesis files."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from .common import DiagnosticFormat, display_path, emit_diagnostics, err, handle_errors, warn_if_no_files


@app.command()
@handle_errors
def check(
    paths: list[Path] = typer.Argument(None, help="Files or folders (default: hypotheses/)."),
    format: DiagnosticFormat = typer.Option(DiagnosticFormat.text, "--format", "-f", help="Output format."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print nothing when everything is clean."),
) -> None:
    """Validate hypothesis files: schema, references, cycles, extends/rivals, focus, evidence, citations.

    Exit 0 when clean, 1 when there are errors, 2 for usage errors.

    Examples:

        hypoplan check

        hypoplan check hypotheses/mecfs-ne-vasomotion.yaml --format json

        hypoplan check --format github   # annotations in GitHub Actions
    """
    from ..check import check_paths
    from ..errors import UsageError

    paths = list(paths or [Path("hypotheses")])
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder", hint="give a hypothesis file or a folder of them")
    report = check_paths(paths, display=display_path)
    errors = report.errors
    emit_diagnostics(report.diagnostics, format,
                     {"files": report.files, "errors": len(errors), "ok": not errors} if format is DiagnosticFormat.json else None)
    n_files = len(report.files)
    warn_if_no_files(n_files, paths)
    if format is DiagnosticFormat.text and not quiet:
        if errors:
            err(f"{len(errors)} error(s) in {n_files} file(s)")
        else:
            err(f"{n_files} file(s) checked: no errors")
    if errors:
        raise typer.Exit(1)
