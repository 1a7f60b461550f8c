"""Money promised beyond a budget: the street office commits funds in two agreements that together exceed it.

A commitment counts towards a period when its term meets the period at all, and
then it counts in full: a party that signed for 60,000 yuan from July to June has
promised all of it, and a budget year holding half that term cannot assume that
only half will be drawn in it (splitting by days would be a guess about when the
invoices arrive), and overstating a shortfall is cheaper than missing one.
Exactly the budget is fine; 0.01 over is not. Amounts are ``Decimal`` and never pass through float.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from coordkit.i18n import _


@dataclass(frozen=True)
class FundsCommitment:
    """Funds one party promises in one agreement: 60,000 CNY from the street office, AGR-2024-001 v2, for its term."""

    who: str  # the party's key
    source: str  # "AGR-2024-001 v2"
    amount: Decimal
    term: tuple[dt.date | None, dt.date | None] = (None, None)  # the agreement's term; None is open
    resource: str = "funds"  # the kind of resource, as agreements name it
    unit: str = "CNY"

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite() or self.amount < 0:
            raise ValueError(f"{self.source}: an amount is a finite, non-negative Decimal, not {self.amount!r}")

    def meets(self, period: tuple[dt.date, dt.date]) -> bool:
        """True when the term shares at least one day with ``period`` (both ends included)."""
        first, last = self.term
        return (first is None or first <= period[1]) and (last is None or period[0] <= last)


@dataclass(frozen=True)
class Overcommitment:
    """A party's promises of one resource in a period that add up to more than its budget."""

    who: str
    resource: str
    unit: str
    period: tuple[dt.date, dt.date]
    budget: Decimal
    committed: Decimal
    commitments: tuple[FundsCommitment, ...]  # the ones counted, in input order

    @property
    def excess(self) -> Decimal:
        return self.committed - self.budget

    def describe(self) -> str:
        return _(
            "'{party}' has promised {committed} {unit} of {resource} from {start} to {end}, "
            "{excess} more than its budget of {budget}: {promises}"
        ).format(
            party=self.who,
            committed=money(self.committed),
            unit=self.unit,
            resource=self.resource,
            start=self.period[0].isoformat(),
            end=self.period[1].isoformat(),
            excess=money(self.excess),
            budget=money(self.budget),
            promises="; ".join(
                _("{source} ({amount}, {term})").format(source=c.source, amount=money(c.amount), term=_term(c.term))
                for c in self.commitments
            ),
        )


def money(amount: Decimal) -> str:
    """``60,000`` or ``1,234.50``: thousands separated, the places as given, never an exponent."""
    return f"{amount:,f}"


def _term(term: tuple[dt.date | None, dt.date | None]) -> str:
    first, last = (day.isoformat() if day else "…" for day in term)
    return f"{first}..{last}"


def overcommitted(
    commitments: Sequence[FundsCommitment], *, budget: Decimal, period: tuple[dt.date, dt.date]
) -> Overcommitment | None:
    """The overcommitment of one party's one resource in ``period``, or None when the budget holds.

    All commitments must be one party's, of one resource, in one unit (group them
    first): adding 万元 to 元 would be wrong by ten thousand times.
    """
    if period[1] < period[0]:
        raise ValueError(f"period ends {period[1]} before it starts {period[0]}")
    if not isinstance(budget, Decimal) or not budget.is_finite() or budget < 0:
        raise ValueError(f"a budget is a finite, non-negative Decimal, not {budget!r}")
    holders = {(c.who, c.resource, c.unit) for c in commitments}
    if len(holders) > 1:
        raise ValueError(f"commitments of one party, resource and unit only, not {sorted(holders)}")
    counted = tuple(c for c in commitments if c.meets(period))
    total = sum((c.amount for c in counted), Decimal(0))
    if total <= budget:
        return None
    first = counted[0]
    return Overcommitment(first.who, first.resource, first.unit, period, budget, total, counted)
