"""Model policies, their versions and each school's adoptions: data/policies/<id>.yaml."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("policy", "data/policies", "policy.schema.json", "id", plural="policies", builder="nesa_cli.model:build_policy",
         store="policies", rules=("nesa_cli.validate.rules",), describe="nesa_cli.changes.records:_policy",
         area="policies", area_title="Policies", columns=(("Id", "id"), ("Title", "title")), label="title"),
]
