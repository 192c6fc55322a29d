"""``python -m briefgen``: the same command line as ``briefgen``."""

from .cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    main(prog_name="briefgen")
