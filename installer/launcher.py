"""The bundle's entry point: ``debtdesk`` / ``debtdesk.exe``.

``freeze_support()`` runs before debtdesk is imported, so a spawned PDF-rendering worker
(``debtdesk --multiprocessing-fork ...``) does not import the CLI and the whole GUI first.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from debtdesk.cli import main

    sys.exit(main())
