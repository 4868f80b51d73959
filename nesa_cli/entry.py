"""The `nesa` console script.

It marks the command-line adapter as lazy before importing it, so that a run
imports only the command modules its command line names (see
``nesa_cli.cli.modules_for``). No Typer or rich here: this only sets a flag.
"""

import nesa_cli


def main() -> None:
    nesa_cli.LAZY_CLI = True
    from nesa_cli.cli import main as cli_main

    cli_main()
