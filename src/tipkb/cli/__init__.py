"""The `tipkb` command line."""

from tipkb.cli.main import main

__all__ = ["main"]
