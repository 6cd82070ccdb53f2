"""Helpers for the money-in GUI tests: demo accounts to use, and Bacs and bank files for them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from debtdesk.db.models import Batch, Collection, Mandate
from debtdesk.services.caseload import Caseload, CaseloadQuery
from debtdesk.services.database import Database
from debtdesk.services.mandates import Mandates, MandateView
from debtdesk.services.settings import get_setting
from tests.gui.conftest import DEMO_ACCOUNTS

ARUDD = """<?xml version="1.0" encoding="UTF-8"?>
<BACSDocument>
 <Data>
  <ARUDD>
   <Header reportType="REFT1019" adviceNumber="013" currentProcessingDate="{report}"/>
   <AddresseeInformation name="WESTSHIRE COUNCIL"/>
   <ServiceLicenseInformation userName="WESTSHIRE COUNCIL" userNumber="{sun}"/>
   <Advice>
    <OriginatingAccountRecords>
     <OriginatingAccountRecord>
      <OriginatingAccount name="WESTSHIRE CC INCOME" number="11112222" sortCode="20-30-40"
        type="0" bankName="BARCLAYS BANK PLC" branchName="WESTSHIRE"/>
      <ReturnedDebitItem ref="{ref}" transCode="17" returnCode="0"
        returnDescription="REFER TO PAYER" originalProcessingDate="{processed}"
        valueOf="{pounds}" currency="GBP">
       <PayerAccount number="20202020" ref="{ref}" name="A PAYER" sortCode="60-70-80"
         bankName="NATWEST" branchName="WESTSHIRE"/>
      </ReturnedDebitItem>
      <Totals numberOf="1" valueOf="{pounds}" currency="GBP"/>
     </OriginatingAccountRecord>
    </OriginatingAccountRecords>
   </Advice>
  </ARUDD>
 </Data>
</BACSDocument>
"""


def accounts_by_mandate(db: Database) -> tuple[int, int]:
    """The first demo account with a live mandate, and the first with none."""
    mandates = Mandates(db)
    with_one = without = None
    for row in Caseload(db).page(CaseloadQuery(), 0, DEMO_ACCOUNTS):
        lines = mandates.for_account(row.id)
        if lines and with_one is None and lines[0].status == "live":
            with_one = row.id
        if not lines and without is None:
            without = row.id
        if with_one is not None and without is not None:
            return with_one, without
    raise AssertionError("the demo has no account of each kind")


def last_collected(mandate: MandateView) -> int:
    """The id of the mandate's latest collected debit."""
    return next(c.id for c in mandate.collections if c.status == "collected")


def write_arudd(db: Database, collection_id: int, folder: Path, report: date) -> Path:
    """An ARUDD returning the collection unpaid (code 0, refer to payer: re-present)."""
    with db.sessions() as session:
        collection = session.get(Collection, collection_id)
        assert collection is not None
        mandate = session.get(Mandate, collection.mandate_id)
        assert mandate is not None
        mandate_ref = mandate.reference
        processed, amount = collection.processing_date, collection.amount
        sun = get_setting(session, "bacs.service_user_number")
    path = folder / f"arudd-{collection_id}.xml"
    path.write_text(
        ARUDD.format(
            report=report.isoformat(),
            sun=sun,
            ref=mandate_ref,
            processed=processed.isoformat(),
            pounds=f"{amount / 100:.2f}",
        )
    )
    return path


def write_bank_csv(folder: Path, *lines: tuple[str, str, str, str]) -> Path:
    """A generic-profile bank statement of ``(date, pounds, reference, payer)`` credits."""
    path = folder / f"bank-{len(list(folder.glob('bank-*')))}.csv"
    rows = ["date,amount,reference,payer,bank_reference"]
    rows += [f'{day},"{pounds}",{ref},{payer},FP{n:04d}' for n, (day, pounds, ref, payer) in
             enumerate(lines, start=1)]  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    return path


def batch_count(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count(Batch.id))) or 0)


def represent_on(db: Database, collection_id: int) -> date | None:
    with db.sessions() as session:
        collection = session.get(Collection, collection_id)
        assert collection is not None
        return collection.represent_on


def take_notice(box: QMessageBox | None) -> str:
    """The text of a refusal box (and its list), closing it."""
    assert box is not None and box.isVisible()
    text = f"{box.text()}\n{box.informativeText()}"
    box.close()
    return text
