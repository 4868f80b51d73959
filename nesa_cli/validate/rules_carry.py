"""Cross-file rules for a fund over several years (nesa_cli.finance.carry)."""

from __future__ import annotations

from nesa_cli.diagnostics import ERROR, WARNING, declare
from nesa_cli.validate.rules import rule

# The rule ids this module reports: severity and meaning (the README's rule
# table and nesa_cli.validate.catalogue are made from these).
RULE_IDS = declare({
    "finance-carry-forward": ("error", "A year's brought_forward is not the previous year's closing balance to the penny (brought forward + received - spent)."),
    "finance-carry-missing": ("warning", "The previous year closed with a balance that the next year does not bring forward."),
    "finance-fund-years": ("error", "A fund's runs (from, to) are not financial years in order, or do not include the year of the file."),
})


def _gbp(d) -> str:
    return f"{'-' if d < 0 else ''}£{abs(d):,.2f}"


@rule
def carry_forward(ctx):
    from nesa_cli.finance.carry import balance, previous_label, runs
    from nesa_cli.finance.model import finance_years, start_year

    years = finance_years(ctx.model)
    for label, fy in years.items():
        r = runs(fy)
        if r is not None:
            try:
                first, last = start_year(r[0]), start_year(r[1])
                this = start_year(label)
            except ValueError as exc:
                yield ctx.at(fy.path, ("fund", "runs"), ERROR, "finance-fund-years", str(exc))
            else:
                if first > last:
                    yield ctx.at(fy.path, ("fund", "runs"), ERROR, "finance-fund-years", f"the fund runs from {r[0]} to {r[1]}: backwards")
                elif not first <= this <= last:
                    yield ctx.at(fy.path, ("fund", "runs"), ERROR, "finance-fund-years",
                                 f"the fund runs from {r[0]} to {r[1]}, which does not include {label}")
        try:
            prev = years.get(previous_label(label))
        except ValueError:
            continue  # finance-year reports the label
        if prev is None:
            continue
        closing = balance(ctx.model, prev).closing
        if fy.brought_forward is not None and fy.brought_forward != closing:
            b = balance(ctx.model, prev)
            yield ctx.at(fy.path, ("brought_forward",), ERROR, "finance-carry-forward",
                         f"brought forward {_gbp(fy.brought_forward)}, but {prev.year} closed at {_gbp(closing)} "
                         f"(brought forward {_gbp(b.brought_forward)} + received {_gbp(b.received)} - spent {_gbp(b.spent)}; "
                         "see nesa finance balances)")
        elif fy.brought_forward is None and closing != 0:
            prev_run = runs(prev)
            if prev_run is not None and prev_run[1] == prev.year:
                continue  # the previous year was the fund's last: nothing is carried into a new fund
            yield ctx.at(fy.path, ("year",), WARNING, "finance-carry-missing",
                         f"{prev.year} closed with {_gbp(closing)} unspent, which {label} does not bring forward "
                         f"(add brought_forward: \"{closing:.2f}\")", key=True)
