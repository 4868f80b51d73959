"""The alliance itself: one file, data/alliance.yaml."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("alliance", "data", "alliance.schema.json", None, file="data/alliance.yaml", plural="alliance",
         builder="nesa_cli.model:build_alliance", store="alliance", rules=("nesa_cli.validate.rules",),
         describe="nesa_cli.changes.records:_alliance", area="alliance", area_title="Alliance",
         columns=(("Name", "name"), ("Short name", "short_name")), label="name"),
]
