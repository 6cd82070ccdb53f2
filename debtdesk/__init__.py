"""debtdesk: care contributions billing, payments and recovery for a council's ASC team."""

__version__ = "0.1.0"
