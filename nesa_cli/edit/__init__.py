"""Editing the data from the terminal without breaking anything.

``roundtrip`` loads and dumps YAML keeping comments, key order, quotes and
indentation; ``fields``/``items``/``records`` edit any kind by its schema and the ``verbs_*`` modules are each kind's named edits (``operations`` gathers them; add a school, set
fields, membership, networks, policies, meetings); ``transaction`` plans the
edits in memory, validates the whole resulting state, writes atomically under
the repository lock and optionally commits only the touched files
(``git``). Nothing here imports Typer or rich.
"""

from nesa_cli.edit.transaction import EditError, EditResult, Transaction

__all__ = ["EditError", "EditResult", "Transaction"]
