"""``python -m debtdesk``: the same as the ``debtdesk`` command."""

import sys

from debtdesk.cli import main

sys.exit(main())
