"""Governance bodies: data/bodies/<id>.yaml, with membership (people, rules, terms of office) and quorum."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("body", "data/bodies", "body.schema.json", "id", plural="bodies", builder="nesa_cli.meetings.bodies:build_body", describe="nesa_cli.meetings.bodies:describe_body",
         rules=("nesa_cli.validate.rules_meetings", "nesa_cli.validate.rules_registers"), area="meetings", area_title="Meetings",
         columns=(("Id", "id"), ("Name", "name"), ("Membership", "members"), ("Quorum", "quorum_text")), label="name"),
]
