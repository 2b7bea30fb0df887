"""Renderers: graphs, analyses and plans → text (DOT, Mermaid, Markdown, JSON, HTML).

Pure functions, golden-tested; :mod:`hypoplan.render.graphviz` is the only
module that runs a subprocess (the system ``dot``).
"""
