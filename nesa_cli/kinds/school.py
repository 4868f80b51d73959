"""Schools: data/schools/<URN>.yaml, one file per school."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("school", "data/schools", "school.schema.json", "urn", stem=r"[0-9]{6}", builder="nesa_cli.model:build_school",
         store="schools", rules=("nesa_cli.validate.rules", "nesa_cli.validate.rules_gias", "nesa_cli.validate.rules_designations",
                                "nesa_cli.validate.rules_succession",  # issue 20, conversions
                                "nesa_cli.validate.rules_governance"),
         describe="nesa_cli.changes.schools:_school", area="schools", area_title="Schools",
         columns=(("URN", "urn"), ("Name", "name"), ("Phase", "phase")), label="name"),
]
