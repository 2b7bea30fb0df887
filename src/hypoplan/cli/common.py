"""Shared plumbing of the CLI: output formats, error handling, safe writing."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from ..errors import Diagnostic, HypoplanError, Severity

if TYPE_CHECKING:
    from ..api import LoadedHypothesis

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

#: Set to 1 (or pass ``hypoplan --debug``) to print the full traceback of an internal error.
DEBUG_ENV = "HYPOPLAN_DEBUG"


class DiagnosticFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def err(message: str) -> None:
    """Write a line to stderr (progress, warnings, errors)."""
    typer.echo(message, err=True)


def handle_errors(func: F) -> F:
    """Turn hypoplan errors into one-line messages and exit codes; never show a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # a full disk or closed pipe shows up here, not as a traceback at exit
            return result
        except HypoplanError as exc:
            err(str(exc) if exc.diagnostics else f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except OSError as exc:  # e.g. stdout on a full disk: the environment, not a bug
            where = f" ({exc.filename})" if exc.filename else ""
            err(f"error: {exc.strerror or exc}{where}")
            raise typer.Exit(EXIT_USAGE) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # typer's own exits and usage errors
        except Exception as exc:  # noqa: BLE001 - an unexpected exception is a bug: exit 3, never 1 (findings)
            report_internal_error(exc, "hypoplan " + func.__name__.strip("_").replace("_", "-"))
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def report_internal_error(exc: BaseException, command: str = "hypoplan") -> None:
    """Report a bug in hypoplan itself on stderr: one line saying so, what failed and how to report it.

    The caller exits with :data:`EXIT_INTERNAL` (3), never 1 (findings) or 2 (usage): CI must not read a crash
    as ordinary findings. The traceback is printed only with ``--debug`` or ``HYPOPLAN_DEBUG=1``.
    """
    import traceback

    from .. import __version__

    frames = traceback.extract_tb(exc.__traceback__)
    at = f" in {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    detail = " ".join(str(exc).split())[:200]
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    if debug_enabled():
        traceback.print_exception(exc, file=sys.stderr)
    err(f"internal error: '{command}' failed with {what}{at}. This is a bug in hypoplan {__version__}, not a finding "
        f"about your input: please report it with the command and its input file"
        + ("" if debug_enabled() else f", adding the traceback from --debug (or {DEBUG_ENV}=1)") + ".")


def max_id_length() -> int:
    """The longest hypothesis id the schema accepts."""
    from annotated_types import MaxLen

    from ..schema import Hypothesis

    return next(m.max_length for m in Hypothesis.model_fields["id"].metadata if isinstance(m, MaxLen))


def check_hypothesis_id(value: str, source: str) -> str:
    """A hypothesis id the user gave (``source`` says how, e.g. ``--id``): a usage error unless the schema accepts it."""
    from ..errors import UsageError
    from ..schema import ID_PATTERN

    if not re.match(ID_PATTERN, value):
        raise UsageError(f"{source} {value!r} is not a valid id",
                         hint="ids start with a letter and use letters, digits, '_', '-' or '.'")
    limit = max_id_length()
    if len(value) > limit:
        raise UsageError(f"{source} gives an id of {len(value)} characters; an id has at most {limit}",
                         hint=f"use at most {limit} characters (a hypothesis file is named after its id: ID.yaml)")
    return value


def warn_if_stem_differs(output: Path | None, hypothesis_id: str) -> None:
    """A written file whose name differs from its id fails 'check' (E023): say so on stderr, with the fix."""
    if output is None or str(output) == "-" or output.suffix.lower() not in (".yaml", ".yml"):
        return
    if output.stem != hypothesis_id:
        err(f"warning: the id '{hypothesis_id}' differs from the file name {output.name}, which 'check' reports "
            f"(E023): rename the file to {hypothesis_id}{output.suffix}")


def warn_if_no_files(found: int, paths: Iterable[Path]) -> None:
    """A folder without hypothesis files is almost always a wrong path: say so on stderr (the exit code stays 0)."""
    if not found:
        err(f"warning: no hypothesis files (*.yaml, *.yml, *.dagitty) found in {', '.join(str(p) for p in paths)}")


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


#: How standard input is named in messages.
STDIN = "<stdin>"


def read_stdin() -> str:
    """Standard input as text, with the same size limit and UTF-8 checks (located errors) as a file."""
    from ..errors import Diagnostic, LoadError
    from ..yamlio import DEFAULT_LIMITS, decode_text

    data = typer.get_binary_stream("stdin").read(DEFAULT_LIMITS.max_bytes + 1)
    if len(data) > DEFAULT_LIMITS.max_bytes:
        raise LoadError("too large", [Diagnostic(STDIN, 0, 0, "E002", f"input is over the {DEFAULT_LIMITS.max_bytes:,}-byte limit",
                                                 "a hypothesis or diagram should be a few kilobytes")])
    return decode_text(data, STDIN)


def split_ids(value: str | None, option: str, *, allow_empty: bool = False, graph: Any = None) -> list[str] | None:
    """Node ids from a comma list option (``None`` when the option was not given).

    An option given with no ids at all (``--exposure ,``) is a usage error unless ``allow_empty``; so is an id
    that is not a node of ``graph`` (when given), with a did-you-mean hint.
    """
    if value is None:
        return None
    ids = [v.strip() for v in value.split(",") if v.strip()]
    if not ids and not allow_empty:
        from ..errors import UsageError

        raise UsageError(f"{option} {value!r} names no node", hint="give node ids separated by commas, e.g. A,B")
    if graph is not None:
        for node in ids:
            if node not in graph:
                from ..errors import UsageError

                raise UsageError(f"{option}: '{node}' is not a node of this hypothesis", hint=suggest_node(node, graph))
    return ids


def suggest_node(name: str, graph: Any) -> str:
    """A did-you-mean hint for a node name: the node whose id or label matches regardless of case, else the
    closest id or label; node ids are what options take."""
    import difflib

    names: dict[str, str] = {}  # casefolded id or label -> id
    for node, data in graph.nodes(data=True):
        if data.get("implicit"):
            continue  # a confounded pair's unnamed latent node
        names.setdefault(str(node).casefold(), str(node))
        if data.get("label"):
            names.setdefault(" ".join(str(data["label"]).split()).casefold(), str(node))
    key = " ".join(name.split()).casefold()
    match = names.get(key)
    if match is None:
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
        match = names[close[0]] if close else None
    if match is None:
        return "options take node ids: run 'hypoplan export FILE --to json' to list them"
    label = graph.nodes[match].get("label")
    return f"did you mean '{match}'" + (f" ({label})" if label and label != match else "") + "?"


def load_argument(file: str | Path, *, checked: bool = True) -> LoadedHypothesis:
    """The hypothesis a command was given: a YAML or ``.dagitty`` file, or ``-`` for stdin; ``extends`` resolved.

    A file that ``check`` rejects is refused (exit 1, with the same located errors) unless ``checked=False``.
    """
    from ..api import load, load_string
    from ..errors import UsageError

    if str(file) == "-":
        return load_string(read_stdin(), display=STDIN, check=checked)
    path = Path(file)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        raise UsageError(f"{file}: {what}", hint="give a hypothesis file (YAML or .dagitty), or - for stdin")
    return load(path, display=display_path(path), check=checked)


def emit_diagnostics(diagnostics: Iterable[Diagnostic], fmt: DiagnosticFormat, summary: dict[str, Any] | None = None,
                     *, tool: str = "hypoplan check") -> None:
    """Print diagnostics to stdout in the chosen format (``tool`` names them in the GitHub job summary)."""
    diagnostics = list(diagnostics)
    if fmt is DiagnosticFormat.json:
        payload: dict[str, Any] = {"diagnostics": [d.to_dict() for d in diagnostics]}
        if summary:
            payload.update(summary)
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    elif fmt is DiagnosticFormat.github:
        emit_github_annotations(diagnostics, tool)
    else:
        for d in diagnostics:
            typer.echo(d.format())


def emit_github_annotations(diagnostics: list[Diagnostic], tool: str) -> None:
    """GitHub workflow commands, escaped and capped at what GitHub shows (10 per level); the full list goes
    to ``$GITHUB_STEP_SUMMARY`` when it is set, and stderr says how many were left out."""
    from ..review.report import Annotation, annotation_line, diagnostics_markdown, limit_annotations

    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}
    items = [Annotation(level.get(d.severity, "notice"), d.message + (f"\n{d.hint}" if d.hint else ""),
                        d.path, d.line, d.col, f"hypoplan {d.code}") for d in diagnostics]
    shown, dropped = limit_annotations(items)
    for a in shown:
        typer.echo(annotation_line(a))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(diagnostics_markdown(tool, diagnostics))
    if dropped:
        where = "the job summary" if summary else "--format text"
        err(f"{dropped} more finding(s) than GitHub shows as annotations: see {where}")


def check_catalog_option(catalog: Path | None) -> None:
    """Refuse, before any work is done, a ``--catalog`` that names no file."""
    if catalog is not None and not catalog.is_file():
        from ..errors import UsageError

        raise UsageError(f"{catalog}: no such catalog file", hint="give a catalog YAML file or leave out --catalog")


def check_output(path: Path | None, *, force: bool = False) -> None:
    """Refuse, before any work is done, an output path that cannot or must not be written.

    A folder, a path under a file, or an existing file without ``force`` is a usage error.
    """
    if path is None or str(path) == "-":
        return
    from ..errors import UsageError

    if path.is_dir():
        raise UsageError(f"{path} is a folder", hint="give a file name to -o, e.g. -o " + str(path / "out.txt"))
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"cannot write {path}: {parent} is not a folder", hint="choose another -o path")
            break
    if path.is_file() and not force:
        raise UsageError(f"{path} already exists", hint="pass --force to overwrite it, or choose another -o path")


def write_output(path: Path | None, text: str | bytes, *, force: bool = False) -> None:
    """Write to ``path`` atomically (stdout when ``None`` or ``-``); refuse to overwrite without ``force``.

    A device or pipe that already exists (``/dev/null``, a FIFO) is written into, never replaced.
    """
    if path is None or str(path) == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        else:
            typer.echo(text, nl=not text.endswith("\n"))
        return
    check_output(path, force=force)
    from ..errors import UsageError

    try:
        if path.exists() and not path.is_file():
            with open(path, "wb") as fh:
                fh.write(text.encode("utf-8") if isinstance(text, str) else text)
        else:
            atomic_write(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}", hint="choose another -o path") from None
    err(f"wrote {display_path(path)}")


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write through a temporary file in the same folder and rename, so a crash never leaves half a file."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # replace the file the link points to, not the link
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a new file gets the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def schema_path_for(output: Path | None) -> str:
    """The schema path for the modeline, relative to where the file goes: the nearest schema/ folder above it."""
    import os

    from ..writer import DEFAULT_SCHEMA_PATH

    if output is None or str(output) == "-":
        return DEFAULT_SCHEMA_PATH
    folder = output.resolve().parent
    for parent in (folder, *folder.parents):
        candidate = parent / "schema" / "hypothesis.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return DEFAULT_SCHEMA_PATH


def dumps_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
