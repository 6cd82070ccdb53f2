"""Building a report from the database and writing its workbook: what the Reports menu and
``debtdesk report NAME`` call."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import debtdesk
from debtdesk.reports.report import Provenance, Report
from debtdesk.reports.workbook import Progress, write_report
from debtdesk.services.database import Database
from debtdesk.services.errors import BadInput
from debtdesk.services.reporting.catalogue import CATALOGUE, ReportParams, ReportSpec, spec_for


def find_spec(name: str) -> ReportSpec:
    """The report called ``name``.

    Raises:
        BadInput: there is none; the message lists the reports there are.
    """
    spec = spec_for(name)
    if spec is None:
        names = ", ".join(s.name for s in CATALOGUE)
        raise BadInput(f"unknown report {name!r}; the reports are: {names}")
    return spec


def check_target(path: Path) -> Path:
    """``path`` with ``.xlsx`` added if missing, once its folder is known to exist.

    Raises:
        BadInput: the folder does not exist, or the path is a folder.
    """
    if path.is_dir():  # before the suffix: a folder named, not a workbook beside it
        raise BadInput(f"{path} is a folder; name the workbook to write")
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    if not path.parent.is_dir():
        raise BadInput(f"{path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise BadInput(f"{path} is a folder; name the workbook to write")
    return path


class Reports:
    """Reports on one database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def build(self, name: str, as_of: date, start: date | None = None) -> Report:
        """The report's content, read in one session (a consistent view of the data).

        Raises:
            BadInput: an unknown report, or a period that ends before it starts.
        """
        spec = find_spec(name)
        params: ReportParams = spec.params(as_of, start)
        if params.start is not None and params.start > params.as_of:
            raise BadInput(
                f"the period starts on {params.start:%d/%m/%Y}, after it ends "
                f"({params.as_of:%d/%m/%Y})"
            )
        with self._db.sessions() as session:
            return spec.builder()(session, params)

    def write(
        self,
        name: str,
        path: Path,
        as_of: date,
        start: date | None = None,
        *,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> tuple[Report, Path]:
        """Build the report and write it to ``path`` (``.xlsx`` added if missing).

        Raises:
            BadInput: as :meth:`build`, or the folder does not exist.
            ReportCancelled: ``cancel`` was set; no file was left.
        """
        target = check_target(path)
        report = self.build(name, as_of, start)
        made = Provenance(
            run_by=self._db.actor,
            run_at=datetime.now().replace(microsecond=0),
            database=self._db.display_name,
            version=debtdesk.__version__,
        )
        write_report(report, target, made, progress=progress, cancel=cancel)
        return report, target
