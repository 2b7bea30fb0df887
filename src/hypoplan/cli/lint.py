"""``hypoplan lint``: quality rules for hypothesis files (see ``--list-rules``)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from . import app
from .common import DiagnosticFormat, display_path, emit_diagnostics, err, handle_errors, warn_if_no_files


class LintFailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_lint_config(start: Path) -> Any:
    """``[tool.hypoplan] lint`` of the nearest pyproject.toml (an empty configuration when there is none)."""
    import tomllib

    from ..errors import UsageError
    from ..review.lint import LintConfig

    path = find_pyproject(start)
    if path is None:
        return LintConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{display_path(path)}: cannot read: {exc}", hint="fix the TOML syntax") from None
    tool = data.get("tool", {})
    hypoplan = tool.get("hypoplan", {}) if isinstance(tool, dict) else {}
    table = hypoplan.get("lint") if isinstance(hypoplan, dict) else hypoplan
    return LintConfig.from_mapping(table, f"{display_path(path)} [tool.hypoplan.lint]")


def sign_conflicts_in_folder(folder: Path, load: Callable[[Path], Any] | None = None) -> dict[str, list[Any]]:
    """Opposite-sign conflicts between the hypothesis files under ``folder`` (files that do not load are left
    out: ``check`` reports them), by hypothesis id.  ``load`` (a path to its loaded file, raising ``LoadError``)
    lets a caller that reads the same files share them instead of parsing them again."""
    from ..errors import LoadError
    from ..loader import Repository, iter_hypothesis_paths, load_file
    from ..registry.conflicts import conflicts_by_hypothesis, sign_conflicts
    from ..registry.merge import merge_entries
    from ..registry.model import entries_from_files

    files = []
    for p in iter_hypothesis_paths([folder]):
        try:
            files.append(load(p) if load is not None else load_file(p, display=display_path(p)))
        except LoadError:
            continue
    entries, _ = entries_from_files(files, Repository(folder, files))
    return conflicts_by_hypothesis(sign_conflicts(merge_entries(entries)))


@app.command()
@handle_errors
def lint(
    paths: list[Path] = typer.Argument(None, help="Files or folders (default: hypotheses/)."),
    format: DiagnosticFormat = typer.Option(DiagnosticFormat.text, "--format", "-f", help="text, json or github (annotations)."),
    fail_on: LintFailOn = typer.Option(LintFailOn.error, "--fail-on", help="Exit 1 when a finding of this severity (or worse) is present."),
    list_rules: bool = typer.Option(False, "--list-rules", help="Print the rules with their codes and documentation, then exit."),
) -> None:
    """Lint hypothesis files: provenance, citations, animal-to-human claims, contradictions, proxies, rivals,
    and links another file in the folder draws with the opposite sign (L011).

    Configure in pyproject.toml (found by walking up from the working folder):

        [tool.hypoplan]
        lint.disable = ["L004"]
        lint.severity = { L002 = "error" }

    or per file with a comment line: # hypoplan: disable=L004,L008

    Examples:

        hypoplan lint

        hypoplan lint --list-rules

        hypoplan lint hypotheses/mecfs-ne-vasomotion.yaml --format json --fail-on warning
    """
    from ..errors import LoadError, UsageError
    from ..loader import Repository, iter_hypothesis_paths, load_file, resolve
    from ..review.lint import lint_hypothesis, rules_text

    if list_rules:
        typer.echo(rules_text())
        return
    config = load_lint_config(Path.cwd())
    paths = list(paths or [Path("hypotheses")])
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder", hint="give a hypothesis file or a folder of them")
    diagnostics = []
    files = list(iter_hypothesis_paths(paths))
    warn_if_no_files(len(files), paths)
    repos: dict[Path, Any] = {}
    folder_conflicts: dict[Path, dict[str, list[Any]]] = {}
    read: dict[Path, Any] = {}  # path -> its file, or the LoadError it raised

    def load(path: Path) -> Any:
        """Each file parsed once per run: the folder's L011 look-up reads the very files this loop lints."""
        if path not in read:
            try:
                read[path] = load_file(path, display=display_path(path))
            except LoadError as exc:
                read[path] = exc
        if isinstance(read[path], LoadError):
            raise read[path]
        return read[path]

    def conflicts_in(folder: Path) -> Any:
        def lookup(hid: str) -> list[Any]:
            if folder not in folder_conflicts:
                folder_conflicts[folder] = sign_conflicts_in_folder(folder, load)
            return folder_conflicts[folder].get(hid, [])

        return lookup

    for path in files:
        try:
            hfile = load(path)
        except LoadError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        repo = repos.setdefault(path.parent, Repository(path.parent))
        repo.add(hfile)  # a parent or rival named later is not read again
        try:
            resolved = resolve(hfile, repo)
        except LoadError:
            resolved = None  # check reports extends problems; lint the file as written

        def find(hid: str, repo: Any = repo) -> Any:
            found = repo.find(hid)
            return found.hypothesis if found else None

        diagnostics.extend(lint_hypothesis(hfile, resolved, find=find, conflicts=conflicts_in(path.parent),
                                           config=config))
    order = ["error", "warning", "note"]
    counts = {s: sum(d.severity.value == s for d in diagnostics) for s in order}
    emit_diagnostics(diagnostics, format,
                     {"files": [display_path(p) for p in files], **counts} if format is DiagnosticFormat.json else None,
                     tool="hypoplan lint")
    if format is DiagnosticFormat.text:
        err(f"{len(files)} file(s) linted: {counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)")
    if fail_on is not LintFailOn.never:
        limit = order.index(fail_on.value)
        if any(order.index(d.severity.value) <= limit for d in diagnostics):
            raise typer.Exit(1)
