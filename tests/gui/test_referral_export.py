"""Recovery ▸ Referral list… saves the team's referrals as a workbook, and an account's
Recovery tab shows its Legal and agents page (the demo puts referrals in hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from debtdesk.gui.account_view import AccountView
from debtdesk.gui.main_window import MainWindow
from debtdesk.gui.recovery_tab import LEGAL_PAGE
from debtdesk.services.database import Database
from debtdesk.services.referrals import Referrals


@pytest.fixture
def window(demo_window: MainWindow) -> MainWindow:
    return demo_window


def test_the_referral_list_is_saved_as_a_workbook(
    window: MainWindow, demo_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    referrals = Referrals(demo_db).listing()
    assert referrals, "the demo puts referrals in hand"
    action = window.referral_export.action
    assert action.text() == "Referral &list…" and action.isEnabled()
    window.referral_export.export_to(tmp_path / "referrals")  # .xlsx added
    saved = tmp_path / "referrals.xlsx"
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == f"Saved the referral list to {saved}.",
        timeout=10_000,
    )
    book = load_workbook(saved)
    assert book.sheetnames == ["Cover", "Referrals"]
    sheet = book["Referrals"]
    assert sheet.max_row == len(referrals) + 2  # the header, a row each, the totals
    text = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for line in referrals:
        assert line.account_ref in text and line.agency in text


def test_an_account_with_referrals_shows_them_on_its_recovery_tab(
    window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    line = Referrals(demo_db).listing()[0]
    view = window.open_account(line.account_id)
    assert isinstance(view, AccountView) and view.recovery is not None and view.legal
    legal = view.legal
    qtbot.waitUntil(lambda: legal.has_loaded, timeout=10_000)
    count = len(Referrals(demo_db).for_account(line.account_id))
    assert view.recovery.sections.tabText(LEGAL_PAGE) == f"&Legal and agents ({count})"
    assert legal.table.model().rowCount() == count
