"""Reviewing hypotheses as they change in git: semantic diff, consequences, lint, formatting, drafting.

* :mod:`~hypoplan.review.diff` — what changed in the claims between two versions;
* :mod:`~hypoplan.review.consequences` — adjustment sets, identification, implications and plan numbers, before → after;
* :mod:`~hypoplan.review.pipeline` — reviews of two files or of every file changed since a git revision;
* :mod:`~hypoplan.review.report` — the PR comment (Markdown), JSON, and GitHub annotations, all escaped;
* :mod:`~hypoplan.review.lint` — quality rules with stable codes (L001…);
* :mod:`~hypoplan.review.fmt` — the canonical layout, keeping comments;
* :mod:`~hypoplan.review.new` — scaffolds and drafts from statements and texts;
* :mod:`~hypoplan.review.git` — the only module that runs git.
"""

from __future__ import annotations

__all__: list[str] = []
