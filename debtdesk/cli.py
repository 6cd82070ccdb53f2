"""The ``debtdesk`` command: the GUI by default, batch subcommands beside it (CLI.md).

Exit codes: 0 success; 1 the command ran and found problems (``check``); 2 bad input,
with a message on stderr naming what and where, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from debtdesk import __version__
from debtdesk.domain.dates import DateError, parse_date
from debtdesk.domain.money import MoneyError, format_pounds, json_pounds, parse_pounds
from debtdesk.services.errors import BadInput

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _stderr_is_terminal() -> bool:
    """Whether progress can be drawn: a windowed Windows program has no stderr at all."""
    return sys.stderr is not None and sys.stderr.isatty()


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(data))
    else:
        print(text)


_opened: list[Any] = []
"""The databases a command opened; :func:`main` closes them when it returns."""


def _open(args: argparse.Namespace) -> Any:
    from debtdesk.services.database import open_database

    database = open_database(args.db)
    _opened.append(database)
    return database


def cmd_demo(args: argparse.Namespace) -> int:
    from debtdesk.services.demo import build_demo

    db = _open(args)
    result = build_demo(db, args.accounts, args.seed, args.as_of or date.today())
    _emit(
        args,
        {
            "accounts": result.accounts,
            "entries": result.entries,
            "balance_total": json_pounds(result.balance_total),
        },
        f"Demo caseload in {db.display_name}: {result.accounts} accounts, "
        f"{result.entries} ledger entries, total balance £{json_pounds(result.balance_total)}",
    )
    return EXIT_OK


def cmd_import_caseload(args: argparse.Namespace) -> int:
    from debtdesk.services.caseload_import import import_caseload

    db = _open(args)
    result = import_caseload(db, Path(args.file))
    created = (
        f"; new officers: {', '.join(result.officers_created)}" if result.officers_created else ""
    )
    _emit(
        args,
        {
            "accounts": result.accounts,
            "entries": result.entries,
            "balance_total": json_pounds(result.balance_total),
        },
        f"Imported {result.accounts} accounts from {Path(args.file).name} (batch {result.batch}), "
        f"opening balances £{json_pounds(result.balance_total)}{created}",
    )
    return EXIT_OK


def cmd_import_bacs(args: argparse.Namespace) -> int:
    from debtdesk.services.bacs_import import BacsImports

    result = BacsImports(_open(args)).apply(Path(args.file))
    data = {
        "kind": result.kind,
        "items": result.items,
        "applied": result.applied,
        "unmatched": result.unmatched,
        "total": json_pounds(result.total),
        "batch": result.batch,
    }
    _emit(args, data, result.message)
    return EXIT_OK


def cmd_import_bank(args: argparse.Namespace) -> int:
    from debtdesk.services.bank_import import BankImports

    result = BankImports(_open(args)).apply(Path(args.file), args.profile)
    data = {
        "kind": result.kind,
        "items": result.items,
        "matched": result.matched,
        "suspense": result.suspense,
        "total": json_pounds(result.total),
        "batch": result.batch,
    }
    _emit(args, data, result.message)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from debtdesk.services.check import check

    result = check(_open(args))
    lines = [
        f"{result.accounts} accounts, {result.entries} ledger entries: "
        + ("no problems" if result.ok else f"{len(result.problems)} problems")
    ]
    lines += [f"  {p}" for p in result.problems]
    _emit(
        args,
        {
            "ok": result.ok,
            "accounts": result.accounts,
            "entries": result.entries,
            "problems": list(result.problems),
        },
        "\n".join(lines),
    )
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_settings_get(args: argparse.Namespace) -> int:
    from debtdesk.services.settings import Settings

    value = Settings(_open(args)).get(args.key)
    _emit(args, {"key": args.key, "value": value}, value)
    return EXIT_OK


def cmd_settings_set(args: argparse.Namespace) -> int:
    from debtdesk.services.settings import Settings

    value = Settings(_open(args)).set(args.key, args.value)
    _emit(args, {"key": args.key, "value": value}, f"{args.key} = {value}")
    return EXIT_OK


def _user_data(user: Any) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.display_name,
        "role": user.role.value,
        "active": user.active,
    }


def cmd_users_list(args: argparse.Namespace) -> int:
    from debtdesk.services.users import Users

    users = Users(_open(args)).list()
    lines = [
        f"{u.username:<20} {u.display_name:<30} {u.role.value:<16} "
        f"{'active' if u.active else 'inactive'}"
        for u in users
    ]
    _emit(args, {"users": [_user_data(u) for u in users]}, "\n".join(lines))
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    from debtdesk.domain.caseload import UserRole
    from debtdesk.services.users import Users

    user = Users(_open(args)).add(args.login, args.name, UserRole(args.role))
    _emit(args, _user_data(user), f"added {user.username} ({user.role.value})")
    return EXIT_OK


def cmd_users_set(args: argparse.Namespace) -> int:
    from debtdesk.domain.caseload import UserRole
    from debtdesk.services.users import Users

    active = None if args.active is None else args.active == "yes"
    role = UserRole(args.role) if args.role else None
    user = Users(_open(args)).change(args.login, role=role, active=active)
    state = "active" if user.active else "inactive"
    _emit(args, _user_data(user), f"{user.username}: {user.role.value}, {state}")
    return EXIT_OK


def cmd_settings_list(args: argparse.Namespace) -> int:
    from debtdesk.services.settings import Settings

    values = Settings(_open(args)).all()
    _emit(args, {"settings": values}, "\n".join(f"{k} = {v!r}" for k, v in values.items()))
    return EXIT_OK


def cmd_accounts_list(args: argparse.Namespace) -> int:
    from debtdesk.services.caseload import Caseload, CaseloadQuery

    caseload = Caseload(_open(args))
    query = CaseloadQuery(search=args.search or "")
    total = caseload.count(query)
    rows = caseload.page(query, 0, args.limit)
    data = {
        "total": total,
        "accounts": [
            {
                "ref": r.reference,
                "name": r.name,
                "postcode": r.postcode,
                "status": r.status,
                "officer": r.officer,
                "balance": json_pounds(r.balance),
            }
            for r in rows
        ],
    }
    text = "\n".join(
        f"{r.reference:<10} {r.name[:32]:<32} {r.postcode:<9} {r.status:<9} "
        f"{r.officer[:18]:<18} {json_pounds(r.balance):>12}"
        for r in rows
    )
    _emit(args, data, f"{text}\n{len(rows)} of {total} accounts" if rows else "no accounts match")
    return EXIT_OK


def account_json(detail: Any) -> dict[str, Any]:
    """``account show --json`` (CLI.md)."""
    return {
        "ref": detail.reference,
        "name": detail.name,
        "status": detail.status,
        "customer_type": detail.customer_type,
        "as_of": detail.as_of.isoformat(),
        "balance": json_pounds(detail.balance),
        "aged": {key: json_pounds(value) for key, value in detail.aged.items()},
        "open_invoices": [
            {
                "number": inv.number,
                "issued": inv.issued.isoformat(),
                "due": inv.due.isoformat(),
                "amount": json_pounds(inv.amount),
                "outstanding": json_pounds(inv.outstanding),
            }
            for inv in detail.open_invoices
        ],
        "unallocated": json_pounds(detail.unallocated),
        "mandate": (
            {"reference": detail.mandate.reference, "status": detail.mandate.status}
            if detail.mandate
            else None
        ),
    }


def cmd_account_show(args: argparse.Namespace) -> int:
    from debtdesk.services.accounts import Accounts

    detail = Accounts(_open(args)).detail(args.ref, args.as_of or date.today())
    data = account_json(detail)
    aged = ", ".join(f"{k} {v}" for k, v in data["aged"].items())
    text = "\n".join(
        [
            f"{detail.reference}  {detail.name}  ({detail.status}, {detail.customer_type})",
            f"as at {detail.as_of:%d/%m/%Y}: balance {data['balance']}, "
            f"unallocated {data['unallocated']}",
            f"aged: {aged}",
            *(
                f"  {i['number']} issued {i['issued']} due {i['due']} amount {i['amount']} "
                f"outstanding {i['outstanding']}"
                for i in data["open_invoices"]
            ),
        ]
    )
    _emit(args, data, text)
    return EXIT_OK


def cmd_statements_run(args: argparse.Namespace) -> int:
    from debtdesk.services.statement_run import StatementRuns

    def progress(stage: str, done: int, total: int) -> None:
        if not args.json and _stderr_is_terminal():
            print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)

    out = Path(args.out).expanduser().resolve() if args.out else None
    result = StatementRuns(_open(args)).run(args.period_end, out, progress=progress)
    if not args.json and _stderr_is_terminal():
        print(file=sys.stderr)
    data = {
        "period_start": result.period.start.isoformat(),
        "period_end": result.period.end.isoformat(),
        "issued": result.issued,
        "already_issued": result.already_issued,
        "total_charged": json_pounds(result.total_charged),
        "out": str(result.out) if result.out else None,
        "print_file": str(result.print_file) if result.print_file else None,
    }
    text = result.message
    if result.print_file:
        text += f"\nprint file: {result.print_file}"
    _emit(args, data, text)
    return EXIT_OK


def cmd_dd_run(args: argparse.Namespace) -> int:
    from debtdesk.services.dd_run import DirectDebitRun, describe

    out = Path(args.out).expanduser().resolve() if args.out else None
    result = DirectDebitRun(_open(args)).run(args.as_of, out)
    data = {
        "as_of": result.as_of.isoformat(),
        "scheduled": result.scheduled,
        "collected": result.collected,
        "collected_total": json_pounds(result.collected_total),
        "files": [str(path) for path in result.files],
    }
    _emit(args, data, "\n".join([describe(result), *(str(path) for path in result.files)]))
    return EXIT_OK


def cmd_recovery_run(args: argparse.Namespace) -> int:
    from debtdesk.services.recovery_run import RecoveryRuns

    out = Path(args.out).expanduser().resolve() if args.out else None
    result = RecoveryRuns(_open(args)).run(args.as_of, out)
    data = {
        "as_of": result.as_of.isoformat(),
        "advanced": result.advanced,
        "letters": result.letters,
        "tasks": result.tasks,
        "print_file": str(result.print_file) if result.print_file else None,
    }
    text = result.message + (f"\nprint file: {result.print_file}" if result.print_file else "")
    _emit(args, data, text)
    return EXIT_OK


def cmd_panel_pack(args: argparse.Namespace) -> int:
    from debtdesk.services.case_pack import CasePacks

    packs = CasePacks(_open(args))
    as_of = args.as_of or date.today()
    reference = args.account.strip().upper()
    out = Path(args.out).expanduser().resolve()
    rendered = packs.render(packs.account_id(reference), out, as_of)
    data = {
        "account": reference,
        "as_of": as_of.isoformat(),
        "pages": rendered.pages,
        "out": str(rendered.path),
    }
    text = f"Case pack for {reference} as at {as_of:%d/%m/%Y}: {rendered.pages} pages\n{out}"
    _emit(args, data, text)
    return EXIT_OK


def cmd_panel_agenda(args: argparse.Namespace) -> int:
    from debtdesk.services.panel_agenda import AgendaPacks

    out = Path(args.out).expanduser().resolve()
    rendered = AgendaPacks(_open(args)).render(args.meeting, out)
    data = {"meeting": args.meeting, "pages": rendered.pages, "out": str(rendered.path)}
    _emit(args, data, f"Agenda pack for meeting {args.meeting}: {rendered.pages} pages\n{out}")
    return EXIT_OK


def _history(args: argparse.Namespace) -> Any:
    """The database's Bank Rate history when ``--db`` names an existing database, else the
    one shipped with debtdesk (a quote needs no database)."""
    from debtdesk.db.engine import database_url, sqlite_path
    from debtdesk.services.bank_rates import bank_rate_history, shipped_history

    if args.db:
        path = sqlite_path(database_url(args.db))
        if path is None or path.exists():
            with _open(args).sessions() as session:
                return bank_rate_history(session)
    return shipped_history()


def cmd_interest_quote(args: argparse.Namespace) -> int:
    from debtdesk.domain.interest import quote

    history = _history(args)
    try:
        principal = parse_pounds(args.amount)
        result = quote(history, principal, args.due, args.as_of)
    except (MoneyError, ValueError) as exc:
        raise BadInput(f"--amount {args.amount}: {exc}") from None
    rate = result.rate
    if not rate.known:
        print(
            f"debtdesk: warning: the Bank Rate history is known to {history.known_to:%d/%m/%Y}; "
            f"the reference date {rate.reference_date:%d/%m/%Y} is later, so the rate assumes no "
            "decision since: check the Bank of England's site",
            file=sys.stderr,
        )
    data = {
        "principal": json_pounds(result.principal),
        "due_date": result.due.isoformat(),
        "as_of": result.as_of.isoformat(),
        "reference_date": rate.reference_date.isoformat(),
        "reference_rate": f"{rate.bank_rate:.2f}",
        "statutory_rate": f"{rate.rate:.2f}",
        "days": result.days,
        "interest": json_pounds(result.interest),
        "compensation": json_pounds(result.compensation),
    }
    text = (
        f"{format_pounds(result.principal)} due {result.due:%d/%m/%Y}, at {result.as_of:%d/%m/%Y}: "
        f"{result.days} days late at {rate.rate:.2f}% (Bank Rate {rate.bank_rate:.2f}% on "
        f"{rate.reference_date:%d/%m/%Y} + 8): interest {format_pounds(result.interest)}, "
        f"compensation {format_pounds(result.compensation)}"
    )
    _emit(args, data, text)
    return EXIT_OK


def cmd_interest_run(args: argparse.Namespace) -> int:
    from debtdesk.services.interest_run import InterestRuns, describe

    result = InterestRuns(_open(args)).run(args.as_of)
    if result.unknown_rates:
        print(f"debtdesk: warning: {result.message}", file=sys.stderr)
    data = {
        "as_of": result.as_of.isoformat(),
        "invoices": result.invoices,
        "interest": json_pounds(result.interest),
        "compensation": json_pounds(result.compensation),
    }
    _emit(args, data, describe(result))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from debtdesk.services.reporting.runs import Reports, find_spec

    spec = find_spec(args.name)
    out = Path(args.xlsx).expanduser().resolve()
    if args.start is not None and not spec.has_period:
        raise BadInput(f"the {spec.name} report is as at a date; it takes no --from")
    report, out = Reports(_open(args)).write(spec.name, out, args.as_of, args.start)
    data = {"report": spec.name, "as_of": args.as_of.isoformat()}
    if spec.has_period:
        data["from"] = spec.params(args.as_of, args.start).start.isoformat()  # type: ignore[union-attr]
    data |= {"rows": report.row_count, **report.summary, "xlsx": str(out)}
    _emit(args, data, f"{report.text}\n{out}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debtdesk",
        description="Care contributions billing, payments and recovery. "
        "With no command, opens the GUI.",
    )
    parser.add_argument(
        "--db",
        help="SQLite file or database URL (default: $DEBTDESK_DB, else [database] url in the "
        "machine's debtdesk.ini ($DEBTDESK_CONFIG, else C:\\ProgramData\\debtdesk or "
        "/etc/xdg/debtdesk), else debtdesk.sqlite in your data folder)",
    )
    parser.add_argument("--version", action="version", version=f"debtdesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="prove this build works: a new database in a temporary folder, a demo caseload, "
        "a statement run, a workbook and the main window; exit 0 if every step passed",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        name: str, func: Callable[[argparse.Namespace], int], help_text: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="one JSON object on stdout")
        p.set_defaults(func=func)
        return p

    p = command("demo", cmd_demo, "fill an empty database with a synthetic caseload")
    p.add_argument("--accounts", type=_positive, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--as-of", type=_date, help="the caseload's last day (default today)")

    imp = sub.add_parser("import", help="import a file").add_subparsers(dest="what", metavar="WHAT")
    imp.required = True
    p = command("caseload", cmd_import_caseload, "load accounts from a .csv or .xlsx", imp)
    p.add_argument("file")
    p = command("bacs", cmd_import_bacs, "apply an ARUDD, ADDACS or AUDDIS report", imp)
    p.add_argument("file")
    p = command("bank", cmd_import_bank, "apply a bank statement (CSV profile or camt.053)", imp)
    p.add_argument("file")
    p.add_argument(
        "--profile", help="the CSV profile: generic (the default) or lloyds; camt.053 needs none"
    )

    command("check", cmd_check, "prove the ledger's invariants; list every problem")

    users = sub.add_parser("users", help="who may use debtdesk, and their roles").add_subparsers(
        dest="action", metavar="ACTION"
    )
    users.required = True
    roles = ["officer", "team_leader", "finance_manager", "administrator"]
    command("list", cmd_users_list, "list the users", users)
    p = command("add", cmd_users_add, "add a user (an administrator's job)", users)
    p.add_argument("login", help="their operating-system login")
    p.add_argument("name", help="their name as people see it")
    p.add_argument("--role", choices=roles, default="officer")
    p = command("set", cmd_users_set, "change a user's role or whether they are active", users)
    p.add_argument("login")
    p.add_argument("--role", choices=roles)
    p.add_argument("--active", choices=["yes", "no"])

    settings = sub.add_parser("settings", help="the team's settings").add_subparsers(
        dest="action", metavar="ACTION"
    )
    settings.required = True
    p = command("get", cmd_settings_get, "print a setting", settings)
    p.add_argument("key")
    p = command("set", cmd_settings_set, "change a setting", settings)
    p.add_argument("key")
    p.add_argument("value")
    command("list", cmd_settings_list, "every setting and its value", settings)

    accounts = sub.add_parser("accounts", help="the caseload").add_subparsers(
        dest="action", metavar="ACTION"
    )
    accounts.required = True
    p = command(
        "list", cmd_accounts_list, "accounts matching a reference, name or postcode", accounts
    )
    p.add_argument("--search", help="a fragment of a reference, name or postcode")
    p.add_argument("--limit", type=_positive, default=50)

    account = sub.add_parser("account", help="one account").add_subparsers(
        dest="action", metavar="ACTION"
    )
    account.required = True
    p = command("show", cmd_account_show, "one account as at a date", account)
    p.add_argument("ref")
    p.add_argument("--as-of", type=_date, help="default today")

    statements = sub.add_parser("statements", help="4-weekly statements").add_subparsers(
        dest="action", metavar="ACTION"
    )
    statements.required = True
    p = command("run", cmd_statements_run, "the 4-weekly statement run for a period", statements)
    p.add_argument(
        "--period-end", type=_date, required=True, help="the last day of the period to charge"
    )
    p.add_argument("--out", help="folder for the run's PDFs (default: the documents folder)")

    dd = sub.add_parser("dd", help="direct debits").add_subparsers(dest="action", metavar="ACTION")
    dd.required = True
    p = command(
        "run",
        cmd_dd_run,
        "send instructions, schedule and post collections, write the bureau files",
        dd,
    )
    p.add_argument("--as-of", type=_date, required=True, help="the run's date")
    p.add_argument("--out", help="folder for the bureau files (default: documents folder/bacs)")

    recovery = sub.add_parser("recovery", help="recovery stages").add_subparsers(
        dest="action", metavar="ACTION"
    )
    recovery.required = True
    p = command(
        "run", cmd_recovery_run, "advance recovery stages, write the letters, make tasks", recovery
    )
    p.add_argument("--as-of", type=_date, required=True, help="the run's date")
    p.add_argument("--out", help="folder for the run's letters (default: the documents folder)")

    panel = sub.add_parser("panel", help="the Debt Management Panel").add_subparsers(
        dest="action", metavar="ACTION"
    )
    panel.required = True
    p = command("pack", cmd_panel_pack, "a case pack (PDF) for one account", panel)
    p.add_argument("--account", required=True, help="the account's reference")
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.add_argument("--as-of", type=_date, help="the pack's date (default today)")
    p = command(
        "agenda", cmd_panel_agenda, "a meeting's agenda pack (PDF): its agenda and case packs",
        panel,
    )  # fmt: skip
    p.add_argument("--meeting", type=_positive, required=True, help="the meeting's number")
    p.add_argument("--out", required=True, help="the PDF file to write")

    interest = sub.add_parser(
        "interest", help="Late Payment Act interest and compensation"
    ).add_subparsers(dest="action", metavar="ACTION")
    interest.required = True
    p = command("quote", cmd_interest_quote, "interest and compensation on one invoice", interest)
    p.add_argument("--amount", required=True, help="the invoice's amount in pounds")
    p.add_argument("--due", type=_date, required=True, help="its due date")
    p.add_argument("--as-of", type=_date, required=True, help="the day to work it out to")
    p = command("run", cmd_interest_run, "post the interest and compensation due", interest)
    p.add_argument("--as-of", type=_date, required=True, help="the run's date")

    from debtdesk.services.reporting.catalogue import CATALOGUE

    p = command("report", cmd_report, "write a report workbook (its as-at date: --as-of)")
    p.add_argument("name", help="; ".join(f"{s.name}: {s.about}" for s in CATALOGUE))
    p.add_argument("--as-of", type=_date, required=True)
    p.add_argument(
        "--from",
        dest="start",
        type=_date,
        help="a period report's first day (caseload: 28 days to --as-of; write-offs and "
        "interest: the financial year)",
    )
    p.add_argument("--xlsx", required=True, help="the workbook to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    multiprocessing.freeze_support()  # PDF rendering workers in a frozen bundle
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 for bad usage, 0 for --help
        return int(exc.code or 0)
    if args.self_test:
        from debtdesk.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from debtdesk.gui.app import run_gui

        return run_gui(args.db)
    from debtdesk.db.migrate import DatabaseTooNew

    try:
        return int(args.func(args))
    except (BadInput, DatabaseTooNew) as exc:
        print(f"debtdesk: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        # Closed, not left to the garbage collector: on Windows an open SQLite file (and its
        # -wal and -shm) cannot be deleted or moved, e.g. by --self-test's cleanup.
        while _opened:
            _opened.pop().close()


if __name__ == "__main__":
    sys.exit(main())
