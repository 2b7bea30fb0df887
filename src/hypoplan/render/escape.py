"""Escaping of user text for every output format hypoplan writes.

Each function turns arbitrary text into inert, visible text in one target
format.  Renderers must pass every user-supplied string through one of these;
none of them ever lets user text become markup, a link, a directive or an id.

- DOT (Graphviz): :func:`dot_text` (quoted string, ``graphviz.escape`` semantics).
- Mermaid: :func:`mermaid_label` (entity codes; no line breaks, no ``%%``).
- Markdown (GitHub flavour): :func:`markdown_text`.
- HTML: :func:`html_text`.
- GitHub workflow commands: :func:`github_message`, :func:`github_property`.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "dot_escape",
    "dot_text",
    "github_message",
    "github_property",
    "html_text",
    "markdown_text",
    "mermaid_label",
    "one_line",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Collapse line breaks and control characters into single spaces."""
    return re.sub(r"\s*[\r\n\u2028\u2029\x85]+\s*", " ", _CONTROL.sub(" ", text)).strip()


def github_message(text: str) -> str:
    """Escape the message part of a GitHub workflow command (``::error ...::message``).

    As in ``@actions/core``: ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``.
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a property value of a workflow command (``file=…,title=…``): also ``:`` and ``,``."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


# --- Graphviz DOT -----------------------------------------------------------------------------------------------


def dot_escape(text: str) -> str:
    """The body of a DOT quoted string that Graphviz shows verbatim.

    Same semantics as ``graphviz.escape`` (backslashes doubled, so escString
    sequences such as ``\\N`` or ``\\n`` in ``C:\\Names\\new`` stay literal; the
    value is never an HTML-like ``<…>`` label), plus what quoting needs: ``"``
    → ``\\"``, line breaks collapsed, and ``&`` → ``&amp;`` because Graphviz
    decodes HTML entities in every label (``&lt;`` would otherwise show as ``<``).
    """
    text = one_line(text)
    return text.replace("\\", "\\\\").replace("&", "&amp;").replace('"', '\\"')


def dot_text(text: str) -> str:
    """User text as a complete DOT quoted string: ``"…"``, inert and shown verbatim."""
    return f'"{dot_escape(text)}"'


# --- Mermaid ----------------------------------------------------------------------------------------------------

#: Mermaid entity codes (https://mermaid.js.org/syntax/flowchart, "Entity codes to escape characters").
_MERMAID_ENTITIES = {
    '"': "#quot;",
    "<": "#60;",
    ">": "#62;",
    "&": "#38;",
    "#": "#35;",
    "*": "#42;",
    "`": "#96;",
    "_": "#95;",
    "~": "#126;",
    "|": "#124;",
    "\\": "#92;",
}
_MERMAID_TABLE = str.maketrans(_MERMAID_ENTITIES)


def mermaid_label(text: str) -> str:
    """The body of a quoted Mermaid label (``n0["…"]``) that shows ``text`` verbatim.

    Line breaks are collapsed and ``%%`` is removed, so the text can never
    start a new statement (``click``, ``style``, ``%%{init}%%``); quotes, angle
    brackets, ``&``, ``#`` and the Markdown characters ``*`` ``_`` ``~`` and
    backtick become Mermaid entity codes, so nothing is read as HTML or Markdown.
    """
    text = one_line(text)
    while "%%" in text:
        text = text.replace("%%", "%")
    return text.translate(_MERMAID_TABLE)


# --- Markdown ---------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#+!|~$])")
_AUTOLINK = re.compile(r"(?<=\w):(?=//)")
_MD_LINE_START = re.compile(r"^(\s*)([-+>=]|\d+[.)])")
_MENTION = re.compile(r"@(?=\w)")
_ISSUE_REF = re.compile(r"(\\#)(?=\d)")


def markdown_text(text: str) -> str:
    """``text`` as inert GitHub-flavoured Markdown on one line (also safe inside a table cell).

    HTML is entity-escaped; Markdown punctuation (emphasis, code, links,
    images, headings, tables, math) is backslash-escaped; a URL scheme's
    ``://`` is escaped so it does not become an autolink;
    a leading list or quote marker is escaped; ``@mentions`` and ``#123``
    references get a zero-width joiner so GitHub neither notifies nor links.
    """
    text = html.escape(one_line(text), quote=False)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(r"\\:", text)
    text = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if len(m.group(2)) == 1
                                                      else m.group(2)[:-1] + "\\" + m.group(2)[-1]), text)
    text = _MENTION.sub("@\u200d", text)
    return _ISSUE_REF.sub("\\1\u200d", text)


# --- HTML -------------------------------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """``text`` as HTML text or attribute value (``html.escape`` with ``quote=True``)."""
    return html.escape(text, quote=True)
