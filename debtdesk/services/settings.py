"""The team's settings: the known keys, their defaults, and validated reads and writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import LedgerEntry, Setting
from debtdesk.db.types import utcnow
from debtdesk.domain.affordability import Guidelines, read_guidelines
from debtdesk.domain.caseload import UserRole
from debtdesk.domain.dates import DateError, parse_date
from debtdesk.domain.money import MoneyError, Pence, parse_pounds
from debtdesk.domain.payment_plans import DEFAULT_GRACE_DAYS
from debtdesk.domain.periods import DEFAULT_ANCHOR, check_anchor
from debtdesk.domain.recovery import DEFAULT_POLICY, Policy, policy_data, policy_from_data
from debtdesk.domain.roles import DEFAULT_WRITE_OFF_LIMITS, Permission, limits_from_data
from debtdesk.services import audit
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.users import require


def _text(value: str) -> str:
    return value


def _anchor(value: str) -> str:
    try:
        day = parse_date(value)
        check_anchor(day)
    except (DateError, ValueError) as exc:
        raise BadInput(f"{value!r}: the period anchor must be a Monday ({exc})") from exc
    return day.isoformat()


def _optional_date(value: str) -> str:
    return _known_to(value) if value.strip() else ""


def _known_to(value: str) -> str:
    try:
        return parse_date(value).isoformat()
    except DateError as exc:
        raise BadInput(f"{value!r}: not a date ({exc})") from exc


def _folder(value: str) -> str:
    return value.strip()


def _working_days(value: str) -> str:
    cleaned = value.strip()
    if not cleaned.isdigit() or not 3 <= int(cleaned) <= 30:
        raise BadInput(f"{value!r}: the advance notice is a whole number of working days, 3 to 30")
    return str(int(cleaned))


def _sun(value: str) -> str:
    cleaned = value.strip()
    if cleaned and not (cleaned.isdigit() and len(cleaned) == 6):
        raise BadInput(f"{value!r}: a Bacs service user number is 6 digits")
    return cleaned


def _sort_code(value: str) -> str:
    cleaned = value.replace("-", "").strip()
    if cleaned and not (cleaned.isdigit() and len(cleaned) == 6):
        raise BadInput(f"{value!r}: a sort code is 6 digits")
    return cleaned


def _account_number(value: str) -> str:
    cleaned = value.strip()
    if cleaned and not (cleaned.isdigit() and len(cleaned) == 8):
        raise BadInput(f"{value!r}: an account number is 8 digits")
    return cleaned


def _json(read: Callable[[object], tuple[object, list[str]]], what: str) -> Callable[[str], str]:
    """A cleaner for a setting held as JSON and checked whole by a domain reader."""

    def clean(value: str) -> str:
        try:
            data = json.loads(value)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{what}: not JSON (line {exc.lineno}, column {exc.colno})") from None
        found, problems = read(data)
        if problems or found is None:
            raise BadInput(f"{what}: " + "; ".join(problems))
        return json.dumps(data, sort_keys=True)

    return clean


def _guidelines(value: str) -> str:
    if not value.strip():
        return ""
    found, problems = read_guidelines(value)
    if found is None:
        raise BadInput("spending guidelines: " + "; ".join(problems))
    return value.strip() + "\n"


def _yes_no(value: str) -> str:
    cleaned = value.strip().lower()
    if cleaned not in ("yes", "no"):
        raise BadInput(f"{value!r}: yes or no")
    return cleaned


def _pounds(value: str) -> str:
    try:
        pence = parse_pounds(value)
    except MoneyError as exc:
        raise BadInput(str(exc)) from None
    if pence < 0:
        raise BadInput(f"{value!r}: not less than £0.00")
    return f"{pence // 100}.{pence % 100:02d}"


def _days(value: str) -> str:
    cleaned = value.strip()
    if not cleaned.isdigit() or int(cleaned) > 60:
        raise BadInput(f"{value!r}: a whole number of days, 0 to 60")
    return str(int(cleaned))


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: str
    description: str
    clean: Callable[[str], str]


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("council.name", "Wexshire County Council", "The council's name", _text),
        SettingSpec(
            "council.address",
            "Care Contributions Team\nCounty Hall\nMarket Street\nWexford Vale\nWX1 1AA",
            "The team's postal address (one line per row)",
            _text,
        ),
        SettingSpec("council.phone", "01632 960000", "The team's phone number", _text),
        SettingSpec("council.email", "care.contributions@wexshire.example", "Email", _text),
        SettingSpec("council.website", "www.wexshire.example/paycare", "Payment web page", _text),
        SettingSpec(
            "council.card_payments",
            "Pay by card at www.wexshire.example/paycare or call 01632 960001 (24 hours)",
            "How to pay by card, as statements print it",
            _text,
        ),
        SettingSpec(
            "council.cheques_payable_to",
            "Wexshire County Council",
            "Who cheques are made payable to",
            _text,
        ),
        SettingSpec(
            "council.logo",
            "",
            "An image file printed at the top of letters (empty: the shipped Wexshire logo)",
            _folder,
        ),
        SettingSpec(
            "documents.folder",
            "",
            "Where issued documents and print files are written (empty: the data folder)",
            _folder,
        ),
        SettingSpec(
            "documents.templates_folder",
            "",
            "A folder of the team's own templates, used before the shipped ones",
            _folder,
        ),
        SettingSpec(
            "dd.advance_notice_days",
            "10",
            "Working days' advance notice before a direct debit is collected",
            _working_days,
        ),
        # Not set ("") until the team enters them: documents then print no bank details or
        # service user number rather than made-up ones.
        SettingSpec("bacs.service_user_number", "", "Bacs service user number", _sun),
        SettingSpec("bank.sort_code", "", "The council's collection sort code", _sort_code),
        SettingSpec("bank.account_number", "", "Collection account number", _account_number),
        SettingSpec("bank.account_name", "WEXSHIRE CC", "Collection account name", _text),
        SettingSpec(
            "recovery.policy",
            json.dumps(policy_data(DEFAULT_POLICY), sort_keys=True),
            "The recovery stages, their timings and conditions (JSON)",
            _json(policy_from_data, "recovery policy"),
        ),
        SettingSpec(
            "recovery.highest_stage",
            "no",
            "A recovery run moves an account to its highest eligible stage (yes), not one",
            _yes_no,
        ),
        SettingSpec(
            "plans.tolerance",
            "1.00",
            "A plan instalment may stay short by this much without breaking the plan",
            _pounds,
        ),
        SettingSpec(
            "plans.grace_days",
            str(DEFAULT_GRACE_DAYS),
            "Days after an instalment's due date before a short one breaks the plan",
            _days,
        ),
        SettingSpec(
            "affordability.guidelines",
            "",
            "The team's spending guidelines (CSV: adults, children and the three flexible "
            "categories' monthly pounds); empty: none are checked",
            _guidelines,
        ),
        SettingSpec(
            "write_offs.limits",
            json.dumps({r.value: p for r, p in DEFAULT_WRITE_OFF_LIMITS.items()}, sort_keys=True),
            "The most each role may approve, in pence (JSON); above every limit: referred",
            _json(limits_from_data, "write-off limits"),
        ),
        SettingSpec(
            "interest.charge_from",
            "",
            "Late Payment Act interest is charged on invoices falling due on or after this "
            "date (empty: every invoice, back six years)",
            _optional_date,
        ),
        SettingSpec(
            "interest.bank_rate_known_to",
            "2026-06-18",
            "The last Bank Rate decision day the history is known to cover (checked on the "
            "Bank of England's site); a rate for a later reference date is flagged",
            _known_to,
        ),
        SettingSpec(
            "periods.anchor",
            DEFAULT_ANCHOR.isoformat(),
            "A Monday on which a 4-weekly period starts",
            _anchor,
        ),
    )
}


def get_setting(session: Session, key: str) -> str:
    """A setting's value, or its default.

    Raises:
        BadInput: the key is not a known setting.
    """
    spec = _spec(key)
    stored = session.get(Setting, key)
    return stored.value if stored is not None else spec.default


def recovery_policy(session: Session) -> Policy:
    """The team's recovery policy (checked whole when it was set)."""
    policy, problems = policy_from_data(json.loads(get_setting(session, "recovery.policy")))
    if policy is None:  # stored behind debtdesk's back
        raise BadInput("the stored recovery policy is not valid: " + "; ".join(problems))
    return policy


def spending_guidelines(session: Session) -> Guidelines | None:
    """The team's spending guidelines, or None when it has loaded none."""
    text = get_setting(session, "affordability.guidelines")
    return read_guidelines(text)[0] if text.strip() else None


def write_off_limits(session: Session) -> dict[UserRole, Pence]:
    """The most each role may approve."""
    limits, problems = limits_from_data(json.loads(get_setting(session, "write_offs.limits")))
    if limits is None:
        raise BadInput("the stored write-off limits are not valid: " + "; ".join(problems))
    return limits


def period_anchor(session: Session) -> date:
    """The Monday the 4-weekly periods are counted from."""
    return date.fromisoformat(get_setting(session, "periods.anchor"))


def _spec(key: str) -> SettingSpec:
    try:
        return SPECS[key]
    except KeyError:
        known = ", ".join(sorted(SPECS))
        raise BadInput(f"unknown setting {key!r}; the settings are: {known}") from None


class Settings:
    """Reading and changing the team's settings; every change is audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> str:
        with self._db.sessions() as session:
            return get_setting(session, key)

    def all(self) -> dict[str, str]:
        with self._db.sessions() as session:
            stored = {s.key: s.value for s in session.scalars(select(Setting))}
        return {key: stored.get(key, spec.default) for key, spec in sorted(SPECS.items())}

    def set(self, key: str, value: str) -> str:
        """Validate and store a setting; returns the value as stored.

        Raises:
            BadInput: unknown key or a value the key does not accept.
        """
        return self.set_many({key: value})[key]

    def set_many(self, values: Mapping[str, str]) -> dict[str, str]:
        """Validate every value, then store them all in one transaction; returns them as stored.

        Nothing is written unless every key is known and every value is accepted.

        Raises:
            BadInput: an unknown key or a value its key does not accept (the first found).
        """
        cleaned = {key: _spec(key).clean(value) for key, value in values.items()}
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.EDIT_POLICY)
            for key, value in cleaned.items():
                self._store(session, key, value)
        return cleaned

    def _store(self, session: Session, key: str, cleaned: str) -> None:
        if key == "periods.anchor" and session.scalar(select(LedgerEntry.id).limit(1)):
            raise BadInput(
                "the period anchor cannot change once charges have been raised: "
                "every past period would move"
            )
        stored = session.get(Setting, key)
        before = stored.value if stored is not None else SPECS[key].default
        if stored is None:
            session.add(Setting(key=key, value=cleaned, updated_by=self._db.actor))
        else:
            stored.value = cleaned
            stored.updated_at = utcnow()
            stored.updated_by = self._db.actor
        audit.record(
            session,
            self._db.actor,
            "setting.set",
            "setting",
            key,
            {"value": before},
            {"value": cleaned},
        )
