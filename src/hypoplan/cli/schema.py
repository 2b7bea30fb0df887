"""``hypoplan schema``: print the JSON Schema of a hypothesis file (for editors)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from .common import handle_errors, write_output


@app.command()
@handle_errors
def schema(
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Print the JSON Schema (draft-07) of a hypothesis file, for yaml-language-server and other editors.

    Start a hypothesis file with a modeline so your editor validates and completes it:

        # yaml-language-server: $schema=../schema/hypothesis.schema.json

    Examples:

        hypoplan schema

        hypoplan schema -o schema/hypothesis.schema.json --force
    """
    from ..jsonschema import schema_text

    write_output(output, schema_text(), force=force)
