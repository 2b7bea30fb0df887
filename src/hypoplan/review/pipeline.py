"""Review of hypothesis changes: from two versions (files or git revisions) to a :class:`ReviewReport`.

:func:`review_texts` compares two texts of one hypothesis file;
:func:`review_worktree` finds every hypothesis file changed between a base
revision and the working tree (added, deleted, renamed with git's rename
detection, modified) and reviews each.  Git is reached only through
:mod:`hypoplan.review.git`; everything else is loading and pure comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import Diagnostic, LoadError, Severity
from ..loader import HYPOTHESIS_SUFFIXES, HypothesisFile, Repository, is_catalog_path, load_text, resolve
from . import git
from .consequences import ConsequenceChange, Consequences, compare_consequences, consequences_of
from .diff import SEVERITY_ORDER, Change, diff_hypotheses

__all__ = [
    "FAIL_ON",
    "FileDiff",
    "ReviewReport",
    "Version",
    "is_hypothesis_path",
    "load_spec",
    "review_specs",
    "review_texts",
    "review_versions",
    "review_worktree",
]

FAIL_ON = ("error", "warning", "never")


@dataclass(frozen=True)
class Version:
    """One side of a comparison: where the text came from, the loaded file, and its resolved hypothesis."""

    label: str
    file: HypothesisFile | None = None
    resolved: Any = None
    repository: Repository | None = None
    problems: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class FileDiff:
    """The review of one hypothesis file."""

    status: str  # added | deleted | renamed | modified
    old_path: str | None
    new_path: str | None
    old_id: str | None
    new_id: str | None
    changes: tuple[Change, ...] = ()
    before: Consequences = field(default_factory=lambda: Consequences(False, "file absent"))
    after: Consequences = field(default_factory=lambda: Consequences(False, "file absent"))
    consequence_changes: tuple[ConsequenceChange, ...] = ()
    problems: tuple[Diagnostic, ...] = ()
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or "?"

    @property
    def title(self) -> str:
        return self.new_id or self.old_id or self.path

    @property
    def severities(self) -> list[str]:
        out = [c.severity for c in self.changes] + [c.severity for c in self.consequence_changes]
        out += [_severity(d) for d in self.problems]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "old_path": self.old_path, "new_path": self.new_path,
            "old_id": self.old_id, "new_id": self.new_id,
            "changes": [c.to_json() for c in self.changes],
            "consequences": {"before": self.before.to_json(), "after": self.after.to_json(),
                             "changes": [c.to_json() for c in self.consequence_changes]},
            "problems": [d.to_dict() for d in self.problems],
        }


def _severity(d: Diagnostic) -> str:
    return {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")


@dataclass(frozen=True)
class ReviewReport:
    """Reviews of every changed file, compared against ``base``."""

    base: str
    head: str
    files: tuple[FileDiff, ...] = ()

    def count(self, severity: str) -> int:
        return sum(s == severity for f in self.files for s in f.severities)

    def fails(self, fail_on: str) -> bool:
        """True when the exit policy ``fail_on`` (error, warning or never) is met."""
        if fail_on == "never":
            return False
        limit = SEVERITY_ORDER.index(fail_on)
        return any(SEVERITY_ORDER.index(s) <= limit for f in self.files for s in f.severities)

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "head": self.head, "files": [f.to_json() for f in self.files],
                "summary": {s: self.count(s) for s in SEVERITY_ORDER}}


def is_hypothesis_path(path: str) -> bool:
    p = PurePosixPath(path)
    return p.suffix.lower() in HYPOTHESIS_SUFFIXES and not is_catalog_path(Path(p.name))


def _load(text: str | None, display: str, label: str, repository: Repository | None,
          severity: Severity = Severity.ERROR) -> Version:
    """Load one version; a file that does not load gives its diagnostics (with ``severity``) instead."""
    if text is None:
        return Version(label)
    try:
        hfile = load_text(text, display, path=Path(display))
    except LoadError as exc:
        return Version(label, problems=tuple(replace(d, severity=severity) for d in exc.diagnostics))
    repo = repository or Repository(Path(display).parent, [hfile])
    try:
        resolved = resolve(hfile, repo)
    except LoadError as exc:
        return Version(label, hfile, hfile.hypothesis, repo,
                       tuple(replace(d, severity=severity) for d in exc.diagnostics))
    return Version(label, hfile, resolved, repo)


def review_versions(old: Version, new: Version, status: str, *, with_plan: bool = True,
                    check_new: bool = False) -> FileDiff:
    """Compare two loaded versions of a file: semantic changes, consequences and problems."""
    old_h = old.file.hypothesis if old.file else None
    new_h = new.file.hypothesis if new.file else None
    changes = diff_hypotheses(old_h, new_h)
    if new.file is not None:
        changes = [replace(c, line=new.file.source.at(c.loc)[0] if c.loc else 0) for c in changes]
    problems = list(new.problems)
    if check_new and new.file is not None and new.repository is not None:
        from ..check import check_file

        problems.extend(d for d in check_file(new.file, new.repository, None) if d.severity is Severity.ERROR)
    before = consequences_of(old.resolved, old.repository, with_plan=with_plan) if old.file else Consequences(False, "file absent")
    after = consequences_of(new.resolved, new.repository, with_plan=with_plan) if new.file else Consequences(False, "file absent")
    return FileDiff(
        status=status, old_path=old.label if old.label else None, new_path=new.label if new.label else None,
        old_id=old_h.id if old_h else None, new_id=new_h.id if new_h else None,
        changes=tuple(changes), before=before, after=after,
        consequence_changes=tuple(compare_consequences(before, after)),
        problems=tuple(dict.fromkeys(problems)),
        labels=_labels(old.resolved, old_h, new.resolved, new_h),  # resolved: nodes inherited through extends
    )


def _labels(*versions: Any) -> dict[str, str]:
    """Display label of every node, the newest version winning."""
    out: dict[str, str] = {}
    for h in versions:
        if h is not None:
            out.update({n.id: n.display for n in h.nodes})
    return out


def _git_repository(rev: str, folder: str, cwd: Path) -> Repository:
    """The hypotheses of ``folder`` as they were at ``rev`` (for resolving ``extends`` on the old side)."""
    return _GitRepository(rev, folder, cwd)


class _GitRepository(Repository):
    """A repository at a git revision, read lazily: a hypothesis is fetched when ``extends``/``rivals`` names it.

    A file named after the id is tried first; when no such file holds that id, every hypothesis of the
    folder is read at once (one ``git cat-file --batch``), as an eager repository would have held them.
    """

    def __init__(self, rev: str, folder: str, cwd: Path):
        super().__init__(cwd / ".hypoplan-no-such-folder")
        self._rev, self._folder, self._cwd = rev, folder, cwd
        self._listing: list[str] | None = None
        self._all = False

    def _hypothesis_paths(self) -> list[str]:
        if self._listing is None:
            self._listing = [p for p in git.list_files_at(self._rev, self._folder, self._cwd)
                             if PurePosixPath(p).parent == PurePosixPath(self._folder) and is_hypothesis_path(p)]
        return self._listing

    def _load(self, texts: dict[str, str | None]) -> list[HypothesisFile]:
        out = []
        for path, text in texts.items():
            if text is None:
                continue
            try:
                out.append(load_text(text, f"{self._rev}:{path}", path=Path(path)))
            except LoadError:
                continue
        return out

    def find(self, hypothesis_id: str) -> HypothesisFile | None:
        if hypothesis_id in self._by_id or self._all:
            return self._by_id.get(hypothesis_id)
        named = [p for p in self._hypothesis_paths() if PurePosixPath(p).stem == hypothesis_id]
        for hf in self._load(git.read_many_at(self._rev, named, self._cwd)):
            if hf.hypothesis.id == hypothesis_id:
                self._by_id[hypothesis_id] = hf
                return hf
        self._all = True
        for hf in self._load(git.read_many_at(self._rev, self._hypothesis_paths(), self._cwd)):
            self._by_id[hf.hypothesis.id] = hf
        return self._by_id.get(hypothesis_id)


def load_spec(spec: str, cwd: Path, *, severity: Severity = Severity.ERROR) -> Version:
    """Load ``path`` from the working tree or ``REV:path`` from git (path relative to the repository top)."""
    rev, path = git.split_rev_path(spec)
    if rev is None:
        p = Path(path)
        if not p.is_absolute():
            p = cwd / p
        if not p.is_file():
            from ..errors import UsageError

            raise UsageError(f"{spec}: {'a folder' if p.is_dir() else 'no such file'}",
                             hint="give a hypothesis file, or REV:path to read one from git")
        from ..yamlio import read_text

        try:
            text = read_text(p, spec)
        except LoadError as exc:
            return Version(spec, problems=tuple(replace(d, severity=severity) for d in exc.diagnostics))
        return _load(text, spec, spec, Repository(p.parent), severity)
    root = git.repo_root(cwd)
    if path.startswith(("./", "../")):  # relative to the working folder, as git's REV:./path
        path = _relative_to(root, cwd / path)
    at_rev = git.read_at(rev, path, root)
    if at_rev is None:
        from ..errors import UsageError

        raise UsageError(f"{spec}: no such file at revision {rev}",
                         hint="paths after 'REV:' are relative to the repository top; check with 'git ls-tree REV'")
    folder = str(PurePosixPath(path).parent)
    return _load(at_rev, spec, spec, _git_repository(rev, folder, root), severity)


def _relative_to(root: Path, path: Path) -> str:
    """``path`` relative to the repository top (as git names it); a usage error outside the repository."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        from ..errors import UsageError

        raise UsageError(f"{path} is outside the git repository {root}",
                         hint="review paths inside the repository") from None


def review_specs(old_spec: str, new_spec: str, cwd: Path, *, with_plan: bool = True) -> ReviewReport:
    """``hypoplan diff OLD NEW``: compare two files, either of which may be ``REV:path``."""
    old = load_spec(old_spec, cwd, severity=Severity.NOTE)
    new = load_spec(new_spec, cwd)
    return ReviewReport(old_spec, new_spec, (review_versions(old, new, "modified", with_plan=with_plan),))


def review_worktree(base: str, cwd: Path, paths: list[str] | None = None, *, with_plan: bool = True,
                    use_merge_base: bool = True) -> ReviewReport:
    """``hypoplan review``: every hypothesis file changed between ``base`` and the working tree."""
    root = git.repo_root(cwd)
    git.resolve_rev(base, root)
    rev = git.merge_base(base, root) if use_merge_base else base
    specs = [_relative_to(root, cwd / p) for p in (paths or ["hypotheses"])]
    changes = [c for c in git.changed_files(rev, root, specs)
               if is_hypothesis_path(c.new_path or c.old_path or "")]
    repos: dict[str, Repository] = {}
    files = []
    for change in sorted(changes, key=lambda c: c.new_path or c.old_path or ""):
        old = Version("")
        if change.old_path is not None:
            folder = str(PurePosixPath(change.old_path).parent)
            if folder not in repos:
                repos[folder] = _git_repository(rev, folder, root)
            text = git.read_at(rev, change.old_path, root)
            old = _load(text, change.old_path, change.old_path, repos[folder], Severity.NOTE)
        new = Version("")
        if change.new_path is not None:
            full = root / change.new_path
            if full.exists():
                from ..yamlio import read_text

                try:
                    text = read_text(full, change.new_path)
                except LoadError as exc:
                    new = Version(change.new_path, problems=tuple(exc.diagnostics))
                else:
                    new = _load(text, change.new_path, change.new_path, Repository(full.parent))
        fd = review_versions(old, new, change.status, with_plan=with_plan, check_new=True)
        files.append(replace(fd, old_path=change.old_path, new_path=change.new_path))
    return ReviewReport(base, "working tree", tuple(files))


def review_texts(old_text: str | None, new_text: str | None, display: str = "hypothesis.yaml", *,
                 with_plan: bool = True) -> ReviewReport:
    """Review two texts of one file (``None`` for an absent side), without git or a repository."""
    old = _load(old_text, display, display if old_text is not None else "", None, Severity.NOTE)
    new = _load(new_text, display, display if new_text is not None else "", None)
    status = "added" if old_text is None else "deleted" if new_text is None else "modified"
    return ReviewReport("old", "new", (review_versions(old, new, status, with_plan=with_plan),))
