"""Render the pages shown in docs/ from documents debtdesk really issues.

    .venv/bin/python tools/docs_pages.py [OUT_DIR]   (default: docs/)

Builds a demo caseload in a scratch folder, makes the statement run for the period
ending 2026-12-06, issues a reminder and a letter of claim to an account in arrears
(an account with a representative is preferred, to show the addressee), and writes the
first page of each, as the print room would get it, to OUT_DIR as statement.png,
reminder.png and letter-of-claim.png (plus letter-of-claim-2.png, its second page, and
letter-of-claim-reply-form.png, the Reply Form enclosure).
Nothing here is a test; it is for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from debtdesk.domain.documents import DocumentKind  # noqa: E402
from debtdesk.services.accounts import Accounts  # noqa: E402
from debtdesk.services.caseload import Caseload, CaseloadQuery  # noqa: E402
from debtdesk.services.database import open_database  # noqa: E402
from debtdesk.services.demo import build_demo  # noqa: E402
from debtdesk.services.documents import Documents  # noqa: E402
from debtdesk.services.errors import BadInput  # noqa: E402
from debtdesk.services.letters import Letters  # noqa: E402
from debtdesk.services.statement_run import StatementRuns  # noqa: E402

AS_OF = date(2026, 11, 23)
PERIOD_END = date(2026, 12, 6)
LETTER_DATE = date(2026, 12, 14)


def _png(pdf: Path, page: int, out: Path) -> None:
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    print(out)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="debtdesk-docs-") as scratch:
        db = open_database(str(Path(scratch) / "demo.sqlite"), actor="docs")
        build_demo(db, accounts=60, seed=7, as_of=AS_OF)
        StatementRuns(db).run(PERIOD_END, Path(scratch) / "out", workers=1)
        rows = Caseload(db).page(CaseloadQuery(sort="balance", descending=True), 0, 60)
        accounts = Accounts(db)
        chosen = None
        for row in rows:
            detail = accounts.detail_by_id(row.id, LETTER_DATE)
            if detail.date_of_death:
                continue
            try:  # a letter of claim goes only to a consumer (FACTS.md §4)
                Letters(db).preview(row.id, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE)
            except BadInput:
                continue
            if not Documents(db).statements(row.id) or not detail.open_invoices:
                continue
            if any(r.receives_correspondence for r in detail.representatives):
                chosen = detail
                break
            chosen = chosen or detail
        if chosen is None:
            print("no account in arrears in the demo caseload", file=sys.stderr)
            return 1
        statement = Documents(db).statements(chosen.id)[0]
        document = next(
            d for d in Documents(db).for_account(chosen.id) if d.id == statement.document_id
        )
        assert document.path is not None
        _png(Path(document.path), 1, out / "statement.png")
        letters = Letters(db)
        reminder = letters.issue(chosen.id, DocumentKind.REMINDER, LETTER_DATE, out=Path(scratch))
        assert reminder.path is not None
        _png(Path(reminder.path), 1, out / "reminder.png")
        claim = letters.issue(
            chosen.id, DocumentKind.LETTER_OF_CLAIM, LETTER_DATE, out=Path(scratch)
        )
        assert claim.path is not None
        _png(Path(claim.path), 1, out / "letter-of-claim.png")
        text = subprocess.run(
            ["pdftotext", "-layout", claim.path, "-"], check=True, capture_output=True, text=True
        ).stdout
        pages = text.split("\f")
        _png(Path(claim.path), 2, out / "letter-of-claim-2.png")
        reply = next((i for i, p in enumerate(pages, 1) if "Enclosure 3 of 4" in p), None)
        if reply:
            _png(Path(claim.path), reply, out / "letter-of-claim-reply-form.png")
        print(f"account {chosen.reference}: {chosen.name}; letter of claim {claim.pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
