"""Rules about what GIAS says (written by nesa import gias)."""

from __future__ import annotations

from nesa_cli.diagnostics import WARNING, declare
from nesa_cli.validate.rules import Ctx, rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "gias-closed": ("warning", "GIAS lists the school as closed (gias: status: closed, from nesa import gias) but it is still consulting, signed up or a member."),
})



@rule
def gias_closed(ctx: Ctx):
    """A school GIAS lists as closed but still taking part in the alliance."""
    for s in ctx.model.schools.values():
        doc = ctx.docs.get(s.path)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        gias = data.get("gias") or {}
        if gias.get("status") != "closed":
            continue
        current = s.membership[-1].state if s.membership else "prospective"
        if current in ("consulting", "signed-up", "member"):
            when = f" on {gias['close_date']}" if gias.get("close_date") else ""
            yield ctx.at(s.path, ("gias", "status"), WARNING, "gias-closed",
                         f"GIAS lists {s.name} as closed{when} but its membership is still '{current}'; "
                         "record the withdrawal (nesa membership withdraw)")
