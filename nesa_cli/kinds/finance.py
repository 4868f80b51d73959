"""Money: a file per financial year (data/finance/<year>.yaml) and one per invoice (data/finance/invoices/)."""

from nesa_cli.kinds import Kind

KINDS = [
    Kind("finance-year", "data/finance", "finance-year.schema.json", "year", stem=r"[0-9]{4}-[0-9]{2}", plural="finance years",
         builder="nesa_cli.finance.model:build_finance_year", rules=("nesa_cli.validate.rules_finance", "nesa_cli.validate.rules_carry"),
         area="money", area_title="Money", columns=(("Year", "id"),)),
    Kind("invoice", "data/finance/invoices", "invoice.schema.json", "number", stem=r"[A-Z][A-Z0-9]{1,11}-[0-9]{4}-[0-9]{4,6}",
         builder="nesa_cli.finance.model:build_invoice", rules=("nesa_cli.validate.rules_finance",),
         describe="nesa_cli.changes.records:_invoice", area="money", columns=(("Number", "id"),)),
]
