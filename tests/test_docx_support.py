"""The Word writers refuse cleanly, naming their own option, when python-docx is missing."""

from __future__ import annotations

import sys

import pytest

from hypoplan.errors import UsageError
from hypoplan.render.docx_support import require_docx


@pytest.mark.parametrize("option", ["--to docx", "--format docx"])
def test_missing_python_docx_is_a_usage_error_naming_the_option(monkeypatch, option):
    monkeypatch.setitem(sys.modules, "docx", None)  # `import docx` now raises ImportError
    with pytest.raises(UsageError) as info:
        require_docx(option)
    assert info.value.message == f"{option} needs python-docx, which is not installed"
    assert "pip install" in info.value.hint


def test_installed_python_docx_is_returned():
    pytest.importorskip("docx")
    assert hasattr(require_docx("--to docx"), "Document")
