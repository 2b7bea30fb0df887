"""The repository as one body of evidence: every hypothesis file merged into one map.

Pure functions over loaded files (:class:`Entry`):

- :mod:`.merge`: nodes merged by construct (or ``same_as:``), never by id alone,
  and the links between merged nodes with every file's claim on them;
- :mod:`.conflicts`: opposite signs, support against recorded contradiction,
  one citation read both ways, one-sided rivals;
- :mod:`.citations`: which files and links use each citation, and how;
- :mod:`.experiments`: measurements ranked by how many rival pairs they settle;
- :mod:`.build`: all of it as one :class:`RegistryMap` (``hypoplan map``).

The site (``hypoplan site``) is rendered from a :class:`RegistryMap` by
:mod:`hypoplan.render.site`.
"""

from __future__ import annotations

from .model import Entry, entries_from_files

__all__ = ["Entry", "entries_from_files"]
