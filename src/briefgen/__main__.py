"""``python -m briefgen``: the same command line as ``briefgen``."""

from .cli import main

main(prog_name="briefgen")
