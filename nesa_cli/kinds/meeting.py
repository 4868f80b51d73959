"""Meetings: data/meetings/<date>-<body>.yaml, with agenda, attendance, decisions and actions."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("meeting", "data/meetings", "meeting.schema.json", "id", stem=r"[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z0-9]+(-[a-z0-9]+)*",
         builder="nesa_cli.meetings.model:build_meeting", rules=("nesa_cli.validate.rules_meetings", "nesa_cli.validate.rules_minutes", "nesa_cli.validate.rules_registers"),
         describe="nesa_cli.changes.records:_meeting", area="meetings", area_title="Meetings",
         columns=(("Id", "id"), ("Date", "date"), ("Body", "body")), label="id"),
]
