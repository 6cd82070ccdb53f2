"""``build_demo``: repeatable, refuses a non-empty database, realistic, and charged by the rules.

The caseload checked is 60 accounts, seed 3, ending 23 November 2026: small enough to be
quick, big enough to hold every feature listed in the demo's docstring.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine, func, select, text

from debtdesk.db.models import Account, CarePackage, FinancialAssessment, FncRate, LedgerEntry
from debtdesk.domain import charging
from debtdesk.domain.charging import Assessment, ChargeBasis, Funding, RateChange
from debtdesk.domain.ledger import EntryKind
from debtdesk.domain.periods import last_complete_period, period_containing
from debtdesk.services.database import Database
from debtdesk.services.demo import build_demo
from debtdesk.services.errors import BadInput
from debtdesk.services.settings import period_anchor
from tests.services.support import DEMO_ACCOUNTS, DEMO_AS_OF, DEMO_SEED, table_counts

AS_OF, ACCOUNTS, SEED = DEMO_AS_OF, DEMO_ACCOUNTS, DEMO_SEED  # the `demo` fixture's caseload
FOUR_WEEKS = timedelta(days=27)  # a period's last day is 27 days after its first


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def _caseload(engine: Engine) -> dict[str, object]:
    """What two equal caseloads must share: accounts, every entry, totals."""
    return {
        "accounts": _rows(
            engine,
            "SELECT a.reference, a.client_name, a.postcode, a.status, a.care_setting,"
            " a.date_of_birth, a.date_of_death, c.code, u.username, a.balance"
            " FROM accounts a JOIN customer_types c ON c.id = a.customer_type_id"
            " LEFT JOIN users u ON u.id = a.officer_id ORDER BY a.reference",
        ),
        "entries": _rows(
            engine,
            "SELECT a.reference, e.kind, e.amount, e.effective_date, e.method, e.period_start"
            " FROM ledger_entries e JOIN accounts a ON a.id = e.account_id"
            " ORDER BY a.reference, e.effective_date, e.id",
        ),
        "balance_total": _rows(engine, "SELECT sum(amount) FROM ledger_entries"),
        "allocations": _rows(
            engine,
            "SELECT i.number, l.amount, l.effective_date FROM allocations l"
            " JOIN invoices i ON i.id = l.invoice_id ORDER BY l.id",
        ),
    }


def test_the_same_seed_builds_the_same_caseload(
    db: Database, make_db: Callable[[], Database]
) -> None:
    other = make_db()
    first = build_demo(db, accounts=25, seed=11, as_of=AS_OF)
    second = build_demo(other, accounts=25, seed=11, as_of=AS_OF)
    assert first == second
    one, two = _caseload(db.engine), _caseload(other.engine)
    assert len(one["accounts"]) == 25  # type: ignore[arg-type]
    assert len(one["entries"]) == first.entries  # type: ignore[arg-type]
    assert one["balance_total"] == [(first.balance_total,)]
    assert one == two


def test_another_seed_builds_another_caseload(
    db: Database, make_db: Callable[[], Database]
) -> None:
    other = make_db()
    build_demo(db, accounts=25, seed=11, as_of=AS_OF)
    build_demo(other, accounts=25, seed=12, as_of=AS_OF)
    one, two = _caseload(db.engine), _caseload(other.engine)
    names_one = [row[1] for row in one["accounts"]]  # type: ignore[attr-defined]
    names_two = [row[1] for row in two["accounts"]]  # type: ignore[attr-defined]
    assert names_one != names_two
    assert one["entries"] != two["entries"]


def test_a_database_with_accounts_is_refused_untouched(demo: Database) -> None:
    before = table_counts(demo.engine)
    with pytest.raises(BadInput, match="empty database"):
        build_demo(demo, accounts=5, seed=1, as_of=AS_OF)
    assert table_counts(demo.engine) == before


def test_no_accounts_is_refused(db: Database) -> None:
    with pytest.raises(BadInput):
        build_demo(db, accounts=0, seed=1, as_of=AS_OF)
    assert table_counts(db.engine)["accounts"] == 0


def test_the_demo_result_matches_the_database(demo: Database) -> None:
    # Built again on the fixture's database would be refused, so count what is there.
    (entries,) = _rows(demo.engine, "SELECT count(*) FROM ledger_entries")[0]
    (total,) = _rows(demo.engine, "SELECT sum(balance) FROM accounts")[0]
    (sum_entries,) = _rows(demo.engine, "SELECT sum(amount) FROM ledger_entries")[0]
    assert total == sum_entries
    assert entries > ACCOUNTS * 20  # about three years of 4-weekly charges and payments


def test_the_caseload_has_every_kind_of_client(demo: Database) -> None:
    engine = demo.engine
    settings = dict(_rows(engine, "SELECT care_setting, count(*) FROM accounts GROUP BY 1"))
    assert settings.get("community", 0) > 0
    assert settings.get("residential", 0) > 0

    deceased = _rows(
        engine,
        "SELECT a.reference, a.date_of_death,"
        " (SELECT count(*) FROM representatives r"
        "  WHERE r.account_id = a.id AND r.role = 'executor' AND r.receives_correspondence)"
        " FROM accounts a WHERE a.status = 'deceased'",
    )
    assert deceased, "some clients have died"
    for ref, died, executors in deceased:
        assert died is not None, ref
        assert executors == 1, f"{ref}: the executor receives the correspondence"

    funding = {row[0] for row in _rows(engine, "SELECT DISTINCT funding FROM care_packages")}
    assert {"chc", "fnc", "council"} <= funding

    roles = {row[0] for row in _rows(engine, "SELECT DISTINCT role FROM representatives")}
    assert {"attorney", "deputy", "appointee", "executor", "relative"} <= roles

    methods = {
        row[0]
        for row in _rows(
            engine, "SELECT DISTINCT method FROM ledger_entries WHERE kind = 'payment'"
        )
    }
    assert {"direct_debit", "bank_transfer", "card", "cheque"} <= methods


def test_returned_payments_reverse_a_direct_debit_of_the_same_account(demo: Database) -> None:
    returned = _rows(
        demo.engine,
        "SELECT r.account_id, r.amount, r.effective_date, p.account_id, p.amount, p.kind,"
        " p.method, p.effective_date FROM ledger_entries r"
        " JOIN ledger_entries p ON p.id = r.reverses_id WHERE r.kind = 'returned_payment'",
    )
    assert returned, "a few direct debits are returned"
    (unlinked,) = _rows(
        demo.engine,
        "SELECT count(*) FROM ledger_entries WHERE kind = 'returned_payment'"
        " AND reverses_id IS NULL",
    )[0]
    assert unlinked == 0
    for account, amount, day, p_account, p_amount, p_kind, p_method, p_day in returned:
        assert (account, amount) == (p_account, -p_amount)  # type: ignore[operator]
        assert (p_kind, p_method) == ("payment", "direct_debit")
        assert day > p_day  # type: ignore[operator]
    # Every account paying by direct debit has a live mandate.
    (without,) = _rows(
        demo.engine,
        "SELECT count(DISTINCT e.account_id) FROM ledger_entries e WHERE e.method = 'direct_debit'"
        " AND NOT EXISTS (SELECT 1 FROM mandates m"
        "                 WHERE m.account_id = e.account_id AND m.status = 'live')",
    )[0]
    assert without == 0


def _bases(demo: Database) -> tuple[dict[int, ChargeBasis], date]:
    """Each account's ChargeBasis rebuilt from its rows, FNC rates from fnc_rates; the anchor."""
    with demo.sessions() as s:
        anchor = period_anchor(s)
        fnc = tuple(
            RateChange(r.effective_from, r.weekly)
            for r in s.scalars(select(FncRate).order_by(FncRate.effective_from))
        )
        assessments: dict[int, list[Assessment]] = defaultdict(list)
        for a in s.scalars(select(FinancialAssessment)):
            assessments[a.account_id].append(
                Assessment(a.effective_from, a.effective_to, a.weekly_contribution)
            )
        packages: dict[int, list[charging.CarePackage]] = defaultdict(list)
        for p in s.scalars(select(CarePackage)):
            packages[p.account_id].append(
                charging.CarePackage(p.start_date, p.end_date, p.weekly_cost, Funding(p.funding))
            )
    deaths = _deaths(demo)
    bases = {
        account: ChargeBasis(tuple(assessments[account]), tuple(packages[account]), died, fnc)
        for account, died in deaths.items()
    }
    return bases, anchor


def _deaths(demo: Database) -> dict[int, date | None]:
    with demo.sessions() as s:
        return {i: d for i, d in s.execute(select(Account.id, Account.date_of_death))}


def _charged(demo: Database) -> dict[int, dict[date, int]]:
    """Each account's charges by the start of the period they are for (typed, via the ORM)."""
    charged: dict[int, dict[date, int]] = defaultdict(dict)
    with demo.sessions() as s:
        for account, start, total in s.execute(
            select(LedgerEntry.account_id, LedgerEntry.period_start, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.kind == EntryKind.CHARGE)
            .group_by(LedgerEntry.account_id, LedgerEntry.period_start)
        ):
            assert isinstance(start, date), "every demo charge is for a period"
            charged[account][start] = int(total)
    return charged


def test_charges_are_what_the_charging_rules_give(demo: Database) -> None:
    """Recalculating every account from its assessments and packages finds nothing to change."""
    bases, anchor = _bases(demo)
    charged = _charged(demo)
    up_to = last_complete_period(AS_OF, anchor)
    earliest = AS_OF - relativedelta(years=6)
    assert len(bases) == ACCOUNTS
    for account, basis in bases.items():
        differences = charging.recalculate(
            basis, charged[account], up_to, earliest=earliest, anchor=anchor
        )
        assert differences == [], f"account {account}"
    # The last period charged is the last complete one: its statement date is not after as_of.
    last = max(max(periods) for periods in charged.values() if periods)
    assert last == up_to.start
    assert up_to.statement_date <= AS_OF < up_to.statement_date + timedelta(days=28)


def test_plain_periods_charge_four_weeks_of_the_smaller_amount(demo: Database) -> None:
    """Worked by hand: a period inside one assessment and one council-funded package, with
    nobody dying, charges 28 days x min(weekly contribution, weekly cost) / 7, which is
    exactly 4 x the smaller; an FNC package's cost is first reduced by the FNC rate."""
    with demo.sessions() as s:
        assessments = [
            (a.account_id, a.effective_from, a.effective_to, a.weekly_contribution)
            for a in s.scalars(select(FinancialAssessment))
        ]
        packages = [
            (p.account_id, p.start_date, p.end_date, p.weekly_cost, p.funding)
            for p in s.scalars(select(CarePackage))
        ]
        rates = [(r.effective_from, r.weekly) for r in s.scalars(select(FncRate))]
    deaths = _deaths(demo)

    Row = tuple[Any, ...]  # (account id, first day, last day or None, ...)

    def overlapping(rows: list[Row], account: int, first: date, last: date) -> list[Row]:
        return [
            r for r in rows if r[0] == account and r[1] <= last and (r[2] is None or r[2] >= first)
        ]

    def covers(row: Row, first: date, last: date) -> bool:
        return bool(row[1] <= first and (row[2] is None or row[2] >= last))

    checked = {"council": 0, "fnc": 0}
    for account, periods in _charged(demo).items():
        died = deaths[account]
        for start, pence in periods.items():
            end = start + FOUR_WEEKS
            if died is not None and died < end:
                continue
            (assessment, *more_a) = overlapping(assessments, account, start, end)
            in_force = overlapping(packages, account, start, end)
            if more_a or len(in_force) != 1:
                continue
            (package,) = in_force
            if not (covers(assessment, start, end) and covers(package, start, end)):
                continue
            weekly, cost, funding = assessment[3], package[3], package[4]
            if funding is Funding.COUNCIL:
                assert pence == 4 * min(weekly, cost), (account, start)
                checked["council"] += 1
            elif funding is Funding.FNC:
                if any(start < d <= end for d, _ in rates):
                    continue  # the FNC rate changes inside the period
                rate = max((d, w) for d, w in rates if d <= start)[1]  # in force on every day
                assert pence == 4 * min(weekly, max(0, cost - rate)), (account, start)
                checked["fnc"] += 1
    assert checked["council"] > 500, checked
    assert checked["fnc"] > 20, checked


def test_nothing_is_charged_after_death_or_under_chc(demo: Database) -> None:
    after_death = _rows(
        demo.engine,
        "SELECT a.reference, e.period_start FROM ledger_entries e"
        " JOIN accounts a ON a.id = e.account_id"
        " WHERE e.kind = 'charge' AND a.date_of_death IS NOT NULL"
        " AND e.period_start > a.date_of_death",
    )
    assert after_death == []
    with demo.sessions() as s:
        chc = s.execute(
            select(CarePackage.account_id, CarePackage.start_date, CarePackage.end_date).where(
                CarePackage.funding == Funding.CHC
            )
        ).all()
    assert chc
    charged = _charged(demo)
    with demo.sessions() as s:
        anchor = period_anchor(s)
    whole_periods_under_chc = 0
    for account, first, last in chc:
        start = period_containing(first, anchor).start
        while start <= AS_OF and (last is None or start <= last):
            if first <= start and (last is None or start + FOUR_WEEKS <= last):
                whole_periods_under_chc += 1
                assert start not in charged[account], f"account {account}: {start} under CHC"
            start += timedelta(days=28)
    assert whole_periods_under_chc > 0
