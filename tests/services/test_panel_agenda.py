"""The agenda pack: the agenda, then each case's pack in agenda order, in one PDF."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from debtdesk.cli import main
from debtdesk.domain.panel import PanelOption
from debtdesk.services.case_pack import CasePacks
from debtdesk.services.database import Database
from debtdesk.services.panel import Panels
from debtdesk.services.panel_agenda import AgendaPacks
from tests.services.support import LIGATURES, add_account
from tests.services.test_panel import MEETING, referred  # noqa: F401  (the fixture)
from tests.services.test_recovery_run import account  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """The packs are laid out by Qt: let pytest-qt make the application."""


def _pages(path: Path) -> list[str]:
    """The PDF's text, page by page (pdftotext ends each page with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def test_the_agenda_then_each_pack_in_order(
    db: Database,
    referred: int,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two cases: the other account first (moved up), then RR000001. Each pack starts on
    the page the agenda gives: the agenda is page 1, the first pack page 2, the second on
    page 2 + the first pack's pages."""
    panels = Panels(db)
    meeting = panels.plan(MEETING, "Debt Management Panel, May 2026", ["Jo Taylor"])
    [first] = panels.add_awaiting(meeting)
    with db.sessions.begin() as s:
        other = add_account(s, "PN000009", "Mr Ray Other")
    second = panels.add_case(meeting, other, PanelOption.WRITE_OFF, "Untraceable since 2024")
    panels.recommend(first, PanelOption.COUNTY_COURT, "No contact since the letter of claim")
    panels.reorder(meeting, [second, first])
    out = tmp_path / "agenda.pdf"
    rendered = AgendaPacks(db).render(meeting, out, today=date(2026, 5, 18))
    other_pages = CasePacks(db).pdf_bytes(other, date(2026, 5, 18))[1]
    ours = CasePacks(db).pdf_bytes(referred, date(2026, 5, 18))[1]
    assert rendered.pages == 1 + other_pages + ours
    pages = _pages(out)
    assert len(pages) == rendered.pages
    agenda = pages[0]
    assert "Debt Management Panel: agenda" in agenda
    assert "figures are as at 18 May 2026" in agenda  # the meeting is still to come
    assert "1 PN000009 Mr Ray Other £0.00 Write-off 2" in agenda
    assert f"2 RR000001 Mrs Ada Brown £1,500.00 County court claim {2 + other_pages}" in agenda
    assert all(page.startswith("OFFICIAL – SENSITIVE") for page in pages)
    assert "Account PN000009" in pages[1] and "case pack" in pages[1]
    assert "Account RR000001" in pages[1 + other_pages]
    assert "No contact since the letter of claim" in " ".join(pages[1 + other_pages :])

    code = main(["--db", db.url, "panel", "agenda", "--meeting", str(meeting), "--out",
                 str(tmp_path / "cli.pdf"), "--json"])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["meeting"] == meeting and data["pages"] >= 3
    assert main(["--db", db.url, "panel", "agenda", "--meeting", "99", "--out", "x.pdf"]) == 2
    assert "no panel meeting 99" in capsys.readouterr().err
