"""Catalogs are parsed once per process while their file is unchanged (issue 14)."""

from __future__ import annotations

import os
import textwrap

from hypoplan.design import catalog as catmod

OURS = textwrap.dedent("""\
    methods:
      - id: nirs
        name: {name}
        constructs: [cerebral_vasomotion]
        captures: our device
        species: [human]
        invasiveness: none
        setting: [home]
        cost_band: high
        burden: {{level: low}}
        references: ["Our lab 2024"]
    """)


def test_packaged_catalog_is_one_object():
    assert catmod.default_catalog() is catmod.default_catalog()


def test_repository_catalog_is_read_again_only_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "catalog.yaml"
    path.write_text(OURS.format(name="First"), encoding="utf-8")
    reads: list[str] = []
    original = catmod.load_yaml_file

    def counting(*args, **kw):
        reads.append(str(args[0]))
        return original(*args, **kw)

    monkeypatch.setattr(catmod, "load_yaml_file", counting)
    first = catmod.load_catalog_for(tmp_path)
    assert catmod.load_catalog_for(tmp_path) is first and len(reads) == 1
    path.write_text(OURS.format(name="Second, renamed"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new modification time even on a coarse clock
    second = catmod.load_catalog_for(tmp_path)
    assert len(reads) == 2 and second.method("nirs").name == "Second, renamed"
