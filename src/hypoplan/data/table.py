"""Data files in and out: a CSV (or Parquet) table of named columns, with one-line errors for bad input.

Reading uses the standard library's :mod:`csv`; values stay text until a column is asked
for as numbers, so a stray word is reported with its file and line.  Missing values are
the empty string, ``NA``, ``NaN``, ``N/A``, ``null``, ``None`` and ``.``.  Parquet needs
the optional ``pyarrow`` package (``pip install hypoplan[parquet]``), imported only then.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MISSING", "DataError", "Table", "format_csv", "parse_table", "read_table", "write_parquet"]

#: Cell texts read as a missing value.
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none", "."})
#: Largest file read (bytes): a data file bigger than this should be sampled first.
MAX_BYTES = 2_000_000_000


class DataError(UsageError):
    """The data cannot be used as asked (not CSV, a missing or unusable column, too few rows): exit 2."""


@dataclass
class Table:
    """Named columns of text cells, converted to numbers on demand (``numeric``)."""

    display: str
    names: tuple[str, ...]
    cells: dict[str, list[str]] = field(repr=False)
    first_line: int = 2  # file line of the first data row
    _numeric: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n_rows(self) -> int:
        return len(self.cells[self.names[0]]) if self.names else 0

    def has(self, column: str) -> bool:
        return column in self.cells

    def numeric(self, column: str) -> np.ndarray:
        """The column as float64 with NaN for missing cells; a :class:`DataError` naming the first bad cell."""
        import numpy as np

        if column in self._numeric:
            return self._numeric[column]
        if column not in self.cells:
            raise DataError(f"{self.display}: no column {column!r}",
                            hint=f"columns are: {', '.join(self.names[:12])}{' …' if len(self.names) > 12 else ''}; "
                                 "map nodes to columns with --map")
        raw = self.cells[column]
        try:  # fast path: every cell a finite number
            out = np.asarray(raw, dtype=np.float64)
            if np.isfinite(out).all():
                self._numeric[column] = out
                return out
        except ValueError:
            pass
        out = np.empty(len(raw), dtype=np.float64)
        for i, text in enumerate(raw):
            t = text.strip()
            if t.lower() in MISSING:
                out[i] = math.nan
                continue
            try:
                out[i] = float(t)
            except ValueError:
                raise DataError(f"{self.display}:{self.first_line + i}: column {column!r} holds the non-numeric "
                                f"value {t[:40]!r}", hint="code categories as numbers (e.g. 0/1) or leave the cell "
                                "empty for a missing value") from None
            if not math.isfinite(out[i]):
                raise DataError(f"{self.display}:{self.first_line + i}: column {column!r} holds {t!r}",
                                hint="infinite values cannot be analysed; leave the cell empty if it is missing")
        self._numeric[column] = out
        return out

    def usable(self, column: str) -> np.ndarray:
        """:meth:`numeric`, refusing an all-missing or constant column (it carries no information)."""
        import numpy as np

        x = self.numeric(column)
        ok = x[~np.isnan(x)]
        if ok.size == 0:
            raise DataError(f"{self.display}: column {column!r} has no values (every cell is missing)",
                            hint="drop the node from the analysis or supply the data")
        if float(ok.min()) == float(ok.max()):
            raise DataError(f"{self.display}: column {column!r} is constant (every value is {ok[0]:g})",
                            hint="a constant column carries no information; check the file or drop the node")
        return x


def parse_table(text: str, display: str) -> Table:
    """A table from CSV text (comma, semicolon or tab separated, judged from the header line)."""
    if "\x00" in text:
        raise DataError(f"{display}: not a CSV file (it holds binary data)", hint="export the data as CSV")
    lines = text.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    if not header:
        raise DataError(f"{display}: the file is empty", hint="give a CSV file with a header row of column names")
    delimiter = max((",", ";", "\t"), key=header.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    names = tuple(c.strip() for c in rows[0])
    if len(names) < 2 and not header.count(delimiter):
        raise DataError(f"{display}: not a CSV file (the first line has no separator)",
                        hint="give a CSV file whose first row names the columns, separated by commas")
    if any(not n for n in names):
        raise DataError(f"{display}:1: a column has no name", hint="name every column in the header row")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"{display}:1: column {dup[0]!r} appears more than once", hint="give each column one name")
    cells: dict[str, list[str]] = {n: [] for n in names}
    for line, row in enumerate(rows[1:], start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != len(names):
            raise DataError(f"{display}:{line}: {len(row)} cells where the header has {len(names)}",
                            hint="every row needs one cell per column (quote cells that contain the separator)")
        for n, c in zip(names, row):
            cells[n].append(c)
    return Table(display, names, cells)


def read_table(path: Path, display: str | None = None) -> Table:
    """Read a CSV (or ``.parquet``) file; :class:`DataError` for anything unreadable."""
    display = display or str(path)
    if str(path) != "-" and not path.is_file():
        raise DataError(f"{display}: {'a folder' if path.is_dir() else 'no such file'}", hint="give a CSV data file")
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path, display)
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise DataError(f"{display}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise DataError(f"{display}: larger than {MAX_BYTES:,} bytes", hint="analyse a sample of the rows")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{display}: not a CSV text file (not UTF-8)", hint="save the data as UTF-8 CSV") from None
    try:
        return parse_table(text, display)
    except csv.Error as exc:
        raise DataError(f"{display}: not a readable CSV file ({exc})", hint="save the data as CSV") from None


def _pyarrow() -> Any:
    import importlib

    try:  # by name: an optional dependency that may be absent (and ships no type information)
        pyarrow = importlib.import_module("pyarrow")
        importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise DataError("Parquet needs the optional pyarrow package",
                        hint="pip install 'hypoplan[parquet]', or use a .csv file") from None
    return pyarrow


def _read_parquet(path: Path, display: str) -> Table:
    pa = _pyarrow()
    try:
        t = pa.parquet.read_table(path)
    except Exception as exc:  # noqa: BLE001 -- pyarrow raises many types for a bad file
        raise DataError(f"{display}: not a readable Parquet file ({exc})") from None
    names = tuple(t.column_names)
    cells = {n: ["" if v is None else str(v) for v in t.column(n).to_pylist()] for n in names}
    return Table(display, names, cells, first_line=1)


def format_csv(columns: Sequence[str], values: Mapping[str, np.ndarray], binary: frozenset[str] = frozenset(),
               digits: int = 6) -> bytes:
    """The columns as CSV bytes: binary columns as 0/1, others with ``digits`` significant digits."""
    import numpy as np

    n = len(values[columns[0]]) if columns else 0
    out = [(",".join(_csv_name(c) for c in columns) + "\n").encode()]
    chunk = 50_000
    fmt = ",".join("%d" if c in binary else f"%.{digits}g" for c in columns)
    for start in range(0, n, chunk):
        block = np.column_stack([values[c][start:start + chunk] for c in columns])
        buf = io.BytesIO()
        np.savetxt(buf, block, fmt=fmt, delimiter=",")
        out.append(buf.getvalue())
    return b"".join(out)


def _csv_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"' if any(ch in name for ch in ',"\n') else name


def write_parquet(path: Path, columns: Sequence[str], values: Mapping[str, np.ndarray]) -> None:
    """Write the columns as a Parquet file (needs pyarrow)."""
    pa = _pyarrow()
    table = pa.table({c: values[c] for c in columns})
    pa.parquet.write_table(table, path)


def read_map(path: Path, display: str | None = None) -> dict[str, str]:
    """A column map file: YAML ``node_id: column name`` pairs (optionally under a ``columns:`` key)."""
    from ..errors import LoadError
    from ..yamlio import load_yaml_file

    display = display or str(path)
    if not path.is_file():
        raise DataError(f"{display}: no such file", hint="give a YAML file of node_id: column pairs")
    try:
        data, _source, _ = load_yaml_file(path, display)
    except LoadError as exc:
        raise DataError(str(exc).splitlines()[0] if str(exc) else f"{display}: unreadable") from None
    if isinstance(data, dict) and set(data) == {"columns"}:
        data = data["columns"]
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise DataError(f"{display}: a column map must be a mapping of node ids to column names",
                        hint="write lines such as   ne_oscillation: sigma_infraslow_power")
    return dict(data)
