"""Pence-exact money: parsing, rounding and splitting a total across schools.

Amounts are :class:`decimal.Decimal` with two places; arithmetic that must
not round (shares, pro rata) is done in whole pence or exact fractions and
rounded once, at the end. No float is ever involved.

``allocate`` splits a total by weights with the largest-remainder rule, so the
parts always add up to the total to the penny; ``share_with_limits`` does the
same when each part has a floor and a cap (the money a capped school does not
pay is re-shared among the others).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Hashable, Iterable, Mapping
from nesa_cli.errors import DataError

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(DataError, ValueError):
    """A value that is not an amount of money, or a split that cannot be made."""


def money(value) -> Decimal:
    """An amount as Decimal with two places: from Decimal, int or text like '1250.00'.

    Refuses floats (they cannot hold pence exactly) and more than two decimal places."""
    if isinstance(value, float):
        raise MoneyError(f"{value!r} is a float; amounts must be exact (write them as text, e.g. \"1250.00\")")
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount of money")
    try:
        d = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        raise MoneyError(f"{value!r} is not an amount of money") from None
    if not d.is_finite():
        raise MoneyError(f"{value!r} is not an amount of money")
    q = d.quantize(PENNY)
    if q != d:
        raise MoneyError(f"{value} has more than two decimal places")
    return q


def round_pence(value: Decimal | Fraction | int) -> Decimal:
    """Round half up to the penny (the usual rule on invoices)."""
    if isinstance(value, Fraction):
        pence = to_pence_fraction(value)
        return from_pence(pence)
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence_fraction(value: Fraction) -> int:
    """Pounds as an exact fraction -> whole pence, half up."""
    p = value * 100
    n, d = p.numerator, p.denominator
    q, r = divmod(n, d)
    return q + (1 if 2 * r >= d else 0)


def to_pence(amount: Decimal) -> int:
    d = money(amount)
    return int(d * 100)


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def fraction(value) -> Fraction:
    """An exact fraction from Decimal, int or Fraction (never float)."""
    if isinstance(value, float):
        raise MoneyError("floats are not exact")
    if isinstance(value, Fraction):
        return value
    return Fraction(Decimal(value))


def allocate(total_pence: int, weights: Mapping[Hashable, object], order: Iterable[Hashable] | None = None) -> dict:
    """Split ``total_pence`` across the keys of ``weights`` in proportion to them.

    Each key gets the floor of its exact share; the pennies left over go one
    each to the largest fractional remainders, ties broken by ``order`` (default:
    sorted keys). The parts add up to the total exactly and are never negative.
    Weights must be >= 0 and not all zero (unless the total is zero)."""
    if total_pence < 0:
        raise MoneyError("cannot allocate a negative total")
    keys = list(order) if order is not None else sorted(weights)
    w = {k: fraction(weights[k]) for k in keys}
    if any(v < 0 for v in w.values()):
        raise MoneyError("weights must not be negative")
    total_w = sum(w.values(), Fraction(0))
    if not keys:
        if total_pence:
            raise MoneyError("nobody to share the total between")
        return {}
    if total_w == 0:
        if total_pence:
            raise MoneyError("every weight is zero, so there is nothing to share the total by")
        return {k: 0 for k in keys}
    exact = {k: total_pence * w[k] / total_w for k in keys}
    out = {k: exact[k].numerator // exact[k].denominator for k in keys}
    left = total_pence - sum(out.values())
    rank = {k: i for i, k in enumerate(keys)}
    by_remainder = sorted(keys, key=lambda k: (-(exact[k] - out[k]), rank[k]))
    for k in by_remainder[:left]:
        out[k] += 1
    return out


def share_with_limits(total_pence: int, weights: Mapping[Hashable, object],
                      floors: Mapping[Hashable, int] | None = None, caps: Mapping[Hashable, int | None] | None = None,
                      order: Iterable[Hashable] | None = None) -> dict:
    """Share a total by weight, each part kept between its floor and cap (pence).

    Finds the exact level ``x`` with sum(clamp(x * weight, floor, cap)) == total
    (money released by caps, or taken by floors, is re-shared among the rest in
    proportion), then rounds with the largest-remainder rule. Floors and caps
    are whole pence, so rounding never pushes a part past its limits.
    Raises MoneyError when the floors alone exceed the total or the caps cannot
    reach it."""
    keys = list(order) if order is not None else sorted(weights)
    floors = dict(floors or {})
    caps = dict(caps or {})
    w = {k: fraction(weights[k]) for k in keys}
    lo = {k: Fraction(floors.get(k) or 0) for k in keys}
    hi = {k: (Fraction(caps[k]) if caps.get(k) is not None else None) for k in keys}
    for k in keys:
        if w[k] < 0:
            raise MoneyError("weights must not be negative")
        if hi[k] is not None and hi[k] < lo[k]:
            raise MoneyError(f"the cap is below the floor for {k}")
    if not keys:
        if total_pence:
            raise MoneyError("nobody to share the total between")
        return {}
    if sum(lo.values()) > total_pence:
        raise MoneyError(f"the floors add up to {from_pence(int(sum(lo.values())))}, more than the total {from_pence(total_pence)}")
    if all(hi[k] is not None for k in keys) and sum(hi.values()) < total_pence:
        raise MoneyError(f"the caps add up to {from_pence(int(sum(hi.values())))}, less than the total {from_pence(total_pence)}")

    def part(k, x: Fraction) -> Fraction:
        v = x * w[k]
        if v < lo[k]:
            v = lo[k]
        if hi[k] is not None and v > hi[k]:
            v = hi[k]
        return v

    def at(x: Fraction) -> Fraction:
        return sum((part(k, x) for k in keys), Fraction(0))

    # Breakpoints where a part starts or stops moving with x; sum(x) is linear between them.
    points = sorted({Fraction(0)} | {b / w[k] for k in keys if w[k] > 0 for b in (lo[k], hi[k]) if b is not None})
    target = Fraction(total_pence)
    x = None
    if at(points[0]) >= target:
        x = points[0]
    else:
        for a, b in zip(points, points[1:]):
            fa, fb = at(a), at(b)
            if fa <= target <= fb:
                x = a if fb == fa else a + (target - fa) * (b - a) / (fb - fa)
                break
        if x is None:  # beyond the last breakpoint: only uncapped parts still grow
            a = points[-1]
            slope = sum((w[k] for k in keys if hi[k] is None and w[k] > 0), Fraction(0))
            if slope == 0:
                raise MoneyError("the total cannot be reached: every school with a weight is capped")
            x = a + (target - at(a)) / slope
    exact = {k: part(k, x) for k in keys}
    if sum(exact.values()) != target:
        raise MoneyError("the total cannot be shared within the floors and caps")
    out = {k: exact[k].numerator // exact[k].denominator for k in keys}
    left = total_pence - sum(out.values())
    rank = {k: i for i, k in enumerate(keys)}
    for k in sorted(keys, key=lambda k: (-(exact[k] - out[k]), rank[k]))[:left]:
        out[k] += 1
    return out


def clamp(value: Decimal, floor: Decimal | None, cap: Decimal | None) -> Decimal:
    if floor is not None and value < floor:
        value = floor
    if cap is not None and value > cap:
        value = cap
    return value
