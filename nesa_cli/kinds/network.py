"""Staff networks: data/networks/<id>.yaml."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("network", "data/networks", "network.schema.json", "id", builder="nesa_cli.model:build_network",
         store="networks", rules=("nesa_cli.validate.rules",), describe="nesa_cli.changes.records:_network",
         area="networks", area_title="Networks", columns=(("Id", "id"), ("Name", "name")), label="name"),
]
