"""Money: the Partnership Fund, contributions, recharges, budgets and invoices.

``money`` (pence-exact helpers, largest-remainder allocation), ``model``
(records and builders), ``contributions``, ``recharges``, ``budget`` and
``invoices`` are pure functions over the model; ``issue`` holds the writes
(issuing, paying, voiding), serialised by the repository lock.
"""

from __future__ import annotations


def digest_unconfirmed(model, today):
    """Schools whose governing body has not confirmed this year's contribution (for the digest)."""
    from nesa_cli.finance.invoices import unconfirmed

    return unconfirmed(model, today)


def digest_overdue_invoices(model, today):
    """Issued invoices past their due date (for the digest)."""
    from nesa_cli.finance.invoices import overdue

    return overdue(model, today)
