"""The generic verbs every kind's group gets: ``new``, ``set``, ``delete``.

One factory (:func:`add_verbs`) gives a group the same three commands with
the same options and messages, driven by the kind's schema through
:mod:`nesa_cli.edit.records`; so ``nesa meetings set``, ``nesa activities
set`` and ``nesa finance set`` behave exactly like ``nesa schools set``.
The words a clerk reaches for (``meetings attend``, ``finance spend``, ...)
are commands of their own, built on the same library.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, run_edit

ASSIGN_HELP = ("FIELD=VALUE (dotted: lead.person=..., strengths.0.area=...), FIELD+=ITEM to add to a list "
               "('strengths+=area=early-reading,detail=...'), FIELD-=ITEM to remove one.")
UNSET = typer.Option(None, "--unset", metavar="FIELD", help="Remove a field, or a list entry by its number: --unset strengths.1 (repeat).")


def assignments(items):
    """Parsed FIELD=VALUE / FIELD+=ITEM / FIELD-=ITEM (EditError for a malformed one)."""
    from nesa_cli.edit.records import parse_assignments

    return parse_assignments(items or [])


def add_verbs(group: typer.Typer, kind: str, group_name: str, id_help: str, *, new: bool = False, set_: bool = True,
              delete: bool = False, example: str = "") -> None:
    """Register ``new``/``set``/``delete`` for ``kind`` on ``group`` (named ``group_name`` on the command line)."""
    what = kind.replace("-", " ")

    if set_:
        def set_cmd(
            ident: str = typer.Argument(..., metavar="ID", help=id_help),
            items: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help=ASSIGN_HELP),
            unset: Optional[List[str]] = UNSET,
            commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE,
            as_json: bool = EDIT_JSON,
        ) -> None:
            from nesa_cli.edit import records

            run_edit(f"nesa {group_name} set", lambda tx: records.set_record(tx, kind, ident, assignments(items), unset or []),
                     commit, branch, dry_run, message, as_json)

        set_cmd.__doc__ = (f"Set fields of a {what}, add to and remove from its lists. FIELD is a dotted path into the "
                           f"record; the value is read as the schema says.{' E.g. ' + example if example else ''}")
        group.command("set")(set_cmd)

    if new:
        def new_cmd(
            ident: str = typer.Argument(..., metavar="ID", help=f"The new {what}'s id (it becomes the file name)."),
            items: Optional[List[str]] = typer.Argument(None, metavar="FIELD=VALUE...", help=ASSIGN_HELP),
            commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE,
            as_json: bool = EDIT_JSON,
        ) -> None:
            from nesa_cli.edit import records

            run_edit(f"nesa {group_name} new", lambda tx: records.new_record(tx, kind, ident, assignments(items)),
                     commit, branch, dry_run, message, as_json)

        new_cmd.__doc__ = f"Create a {what} from FIELD=VALUE pairs (the required fields are named if one is missing)."
        group.command("new")(new_cmd)

    if delete:
        def delete_cmd(
            ident: str = typer.Argument(..., metavar="ID", help=id_help),
            commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE,
            as_json: bool = EDIT_JSON,
        ) -> None:
            from nesa_cli.edit import records

            run_edit(f"nesa {group_name} delete", lambda tx: records.delete_record(tx, kind, ident),
                     commit, branch, dry_run, message, as_json)

        delete_cmd.__doc__ = (f"Delete a {what}'s file; refused (nothing written) while anything else still names it. "
                              "A history is better kept: prefer ending or cancelling where the record allows it.")
        group.command("delete")(delete_cmd)


def person_at_school(text: Optional[str], field: str, option: str) -> dict:
    """``URN:Name`` as the two fields ``<field>.school`` and ``<field>.person``."""
    from nesa_cli.cli import common

    if not text:
        return {}
    urn, sep, name = text.partition(":")
    if not sep or not urn.strip().isdigit() or not name.strip():
        raise common.Misuse(f"{option} {text!r}: write the school's URN and the person's name as URN:Name, e.g. 122262:Lewis Milburn")
    return {f"{field}.school": urn.strip(), f"{field}.person": name.strip()}
