"""``python -m hypoplan``."""

from hypoplan.cli import main

main()
