"""The affordability check for a payment plan, with the team's spending guidelines."""

from __future__ import annotations

from collections.abc import Mapping

from debtdesk.domain.affordability import Affordability, assess
from debtdesk.domain.money import Pence
from debtdesk.domain.payment_plans import Frequency
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import spending_guidelines


class AffordabilityChecks:
    """The check the plan dialog runs as an officer keys in a financial statement."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def check(
        self,
        lines: Mapping[str, tuple[Pence, Frequency]],
        household: tuple[int, int],
        our_debt: Pence,
        other_non_priority_debts: Pence = 0,
        priority_offers: Pence = 0,
    ) -> Affordability:
        """Surplus, flexible costs against the team's guidelines, a suggested instalment.

        Raises:
            BadInput: an unknown line, a negative amount, or a household without an adult.
        """
        with self._db.sessions() as session:
            guidelines = spending_guidelines(session)
        try:
            return assess(
                lines, household, guidelines, our_debt, other_non_priority_debts, priority_offers
            )
        except ValueError as exc:
            raise BadInput(str(exc)) from None
