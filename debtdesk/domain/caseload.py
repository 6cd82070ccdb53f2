"""An account's vocabulary: statuses, care settings, representatives' roles, officers' roles."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    ACTIVE = "active"
    CEASED = "ceased"
    DECEASED = "deceased"


class CareSetting(StrEnum):
    RESIDENTIAL = "residential"
    COMMUNITY = "community"


class RepresentativeRole(StrEnum):
    ATTORNEY = "attorney"  # Lasting (or Enduring) Power of Attorney for property and affairs
    DEPUTY = "deputy"  # Court of Protection deputy
    APPOINTEE = "appointee"  # DWP appointee
    EXECUTOR = "executor"  # executor or administrator: the personal representative
    RELATIVE = "relative"  # relative or informal carer
    SOLICITOR = "solicitor"
    ADVOCATE = "advocate"


class UserRole(StrEnum):
    OFFICER = "officer"
    TEAM_LEADER = "team_leader"
    FINANCE_MANAGER = "finance_manager"
    ADMINISTRATOR = "administrator"


class MandateStatus(StrEnum):
    PENDING = "pending"
    LIVE = "live"
    CANCELLED = "cancelled"
    FAILED = "failed"


class InvoiceKind(StrEnum):
    STATEMENT = "statement"  # a 4-weekly statement's charges
    OPENING_BALANCE = "opening_balance"  # a balance brought over from another system
    SUNDRY = "sundry"  # raised by an officer
    INTEREST = "interest"  # Late Payment Act interest and compensation on another invoice


BALANCE_BANDS: dict[str, tuple[int | None, int | None]] = {
    # name: (lowest pence inclusive, highest pence inclusive); None is open-ended
    "credit": (None, -1),
    "nil": (0, 0),
    "under_100": (1, 9_999),
    "100_999": (10_000, 99_999),
    "1000_9999": (100_000, 999_999),
    "10000_plus": (1_000_000, None),
}

BALANCE_BAND_LABELS = {
    "credit": "In credit",
    "nil": "Nil",
    "under_100": "£0.01 – £99.99",
    "100_999": "£100 – £999.99",
    "1000_9999": "£1,000 – £9,999.99",
    "10000_plus": "£10,000 and over",
}
