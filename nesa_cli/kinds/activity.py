"""School-to-school collaboration: activities (data/activities/) and partnership proposals (data/proposals/)."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("activity", "data/activities", "activity.schema.json", "id", plural="activities",
         builder="nesa_cli.collab.model:build_activity", rules=("nesa_cli.validate.rules_collab",),
         describe="nesa_cli.changes.records:_activity", area="activities", area_title="Activities",
         columns=(("Id", "id"), ("Title", "title")), label="title"),
    Kind("proposal", "data/proposals", "proposal.schema.json", "id", builder="nesa_cli.collab.propose:build_proposal",
         rules=("nesa_cli.validate.rules_collab",), area="activities", columns=(("Id", "id"),)),
]
