"""The PySide6 desktop application: main window, Qt models over services, views and dialogs.

Nothing here imports SQLAlchemy or ``debtdesk.db``; widgets call ``debtdesk.services`` and
``debtdesk.domain`` only (an import-linter contract checks it).
"""
