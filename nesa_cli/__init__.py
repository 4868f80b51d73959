"""nesa: run a school alliance from a git repository of YAML files.

The package is a library first; ``nesa_cli.cli`` is a thin Typer adapter over it.
Nothing below ``nesa_cli.cli`` imports Typer or rich.
"""

__version__ = "0.2.0"
