"""The reports: each module here reads the database into a :class:`~debtdesk.reports.report.Report`
(``catalogue`` lists them; ``runs`` builds and writes them)."""
