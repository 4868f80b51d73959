"""nesa activities new / set / delete: school-to-school activities (data/activities)."""

from __future__ import annotations

from typing import List, Optional

import typer

from nesa_cli.cli import app
from nesa_cli.cli.editing import BRANCH, COMMIT, DRY_RUN, EDIT_JSON, MESSAGE, edit_date, run_edit

activities_app = typer.Typer(help="School-to-school activities: create them, set fields, delete.", no_args_is_help=True)
app.add_typer(activities_app, name="activities")


@activities_app.command("new")
def activities_new(
    ident: str = typer.Argument(..., metavar="ID", help="Id, e.g. support-maths-122143 (it becomes the file name)."),
    title: str = typer.Option(..., "--title", help="Short title."),
    kind: str = typer.Option(..., "--kind", help="peer-review, school-to-school-support, moderation, cpd, joint-pupil-activity or network-lead."),
    lead: Optional[str] = typer.Option(None, "--lead", metavar="URN[:NAME]", help="The leading school, and optionally the person: 122101:Maria Fenwick."),
    lead_team: Optional[str] = typer.Option(None, "--lead-team", metavar="ID", help="Or: led by a central-team member (an id from data/alliance.yaml)."),
    lead_organisation: Optional[str] = typer.Option(None, "--lead-organisation", metavar="ORG[:NAME]", help="Or: led by an outside party, e.g. 'Newcastle University:Dr Samir Khan' (its hours are credited to no school)."),
    start: str = typer.Option(..., "--start", metavar="YYYY-MM-DD", help="First day."),
    schools: Optional[List[str]] = typer.Option(None, "--school", help="Another school involved (repeat; URN or name)."),
    items: Optional[List[str]] = typer.Argument(None, metavar="[FIELD=VALUE...]", help="Any other field, e.g. status=planned time.amount=3 time.unit=days."),
    commit: bool = COMMIT, branch: Optional[str] = BRANCH, dry_run: bool = DRY_RUN, message: Optional[str] = MESSAGE, as_json: bool = EDIT_JSON,
) -> None:
    """Create an activity: data/activities/<ID>.yaml, led by a school (--lead), the central team
    (--lead-team) or an outside party (--lead-organisation)."""
    from nesa_cli.cli.records import assignments
    from nesa_cli.edit.verbs_alliance import new_activity

    day = edit_date(start, "--start")
    run_edit("nesa activities new", lambda tx: new_activity(tx, ident, title, kind, lead, day, schools or [], assignments(items),
                                                                   lead_team, lead_organisation),
             commit, branch, dry_run, message, as_json)


def _verbs() -> None:
    from nesa_cli.cli.records import add_verbs

    add_verbs(activities_app, "activity", "activities", "The activity's id, e.g. cpd-adaptive-teaching.", delete=True,
              example="nesa activities set cpd-new-sencos status=completed 'evidence+=Survey: 9 of 10 more confident'")


_verbs()
