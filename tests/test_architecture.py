"""The layering of the package, checked from the source: imports flow one way.

schema → loader → graph → analysis → design → plan, registry → render → review → cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hypoplan"

#: Layer of each top-level module or subpackage; a module may import only from its own layer or lower ones.
LAYERS = {
    "errors": 0, "schema": 0,
    "naming": 0,
    "yamlio": 1, "yamlfast": 1, "loader": 1, "dagitty": 1, "writer": 1, "jsonschema": 1,
    "graph": 2, "check": 2,
    "analysis": 3,
    "design": 4,
    "data": 4,  # the data layer (simulate, test-data, estimate, diagnose) sits beside design/
    "registry": 5,
    "plan": 5,
    "render": 6,
    "review": 7,
    "api": 8, "cli": 9, "__init__": 9, "__main__": 9,
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """Absolute names of what a module imports (relative imports resolved), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["hypoplan", *path.relative_to(PACKAGE).parent.parts]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if not node.module:
                    out.extend((f"{name}.{alias.name}", node.lineno) for alias in node.names)
                    continue
            else:
                name = node.module or ""
            out.append((name, node.lineno))
    return out


def _target_unit(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "hypoplan":
        return None
    if len(parts) == 1 or (len(parts) == 2 and parts[1] not in LAYERS):
        return "__init__"  # the package itself, or a name it defines (e.g. __version__)
    return parts[1]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path):
    unit = _unit(path)
    assert unit in LAYERS, f"{unit} has no layer in tests/test_architecture.py: place it"
    for name, line in _imports(path):
        target = _target_unit(name)
        if target is None or target == unit:
            continue
        assert target in LAYERS, f"{path.name}:{line} imports unknown unit {target}"
        assert LAYERS[target] <= LAYERS[unit], f"{path.relative_to(PACKAGE)}:{line} imports {name} from a higher layer"


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("typer", {"cli"}),
        # the data layer fits models to data: statsmodels is its tool (imported lazily, see below)
        ("statsmodels", {"design/power.py", "data"}),
        ("subprocess", {"render/graphviz.py", "review/git.py"}),
        ("yaml", {"yamlfast.py"}),  # PyYAML/libyaml: the fast read path only
        ("ruamel", {"yamlio.py", "writer.py", "review/fmt.py"}),  # round-trip: the reference path and rewriting
    ],
)
def test_libraries_stay_in_their_module(library: str, allowed: set[str]):
    offenders = []
    for path in _modules():
        rel = str(path.relative_to(PACKAGE))
        if any(rel == a or rel.startswith(a + "/") for a in allowed):
            continue
        for name, line in _imports(path):
            if name.split(".")[0] == library:
                offenders.append(f"{rel}:{line}")
    assert offenders == []


def test_cli_import_stays_light():
    """`hypoplan --help` must not pay for statsmodels, scipy, pandas or graphviz rendering."""
    import subprocess
    import sys

    code = ("import sys, hypoplan.cli; heavy = [m for m in ('statsmodels', 'scipy', 'pandas', 'jinja2', 'numpy') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


HEAVY = ("numpy", "scipy", "statsmodels", "pandas", "pyarrow")


@pytest.mark.parametrize("path", sorted((PACKAGE / "data").glob("*.py")), ids=lambda p: p.name)
def test_data_layer_imports_heavy_libraries_lazily(path: Path):
    """data/ may use numpy, scipy and statsmodels, but only inside functions (or for type checking),
    so that importing it (and the CLI that registers its commands) stays cheap."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            top.extend((a.name, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            top.append((node.module or "", node.lineno))
    eager = [f"{path.name}:{line} {name}" for name, line in top if name.split(".")[0] in HEAVY]
    assert eager == []
