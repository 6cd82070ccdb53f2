"""Benchmarks of debtdesk at county size: ``python -m bench`` (``make bench``).

Builds (or reuses) demo caseloads of 25,000 and 100,000 accounts under ``bench/out`` and
times what the GUI and CLI actually call — the caseload's first page, search, opening an
account, the GUI's start — each beside its floor: the same SQL replayed by hand through
Python's ``sqlite3`` on the same file. Nothing here is a test; nothing here is imported by
debtdesk.
"""
