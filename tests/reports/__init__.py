"""Tests of the report framework: workbooks written from hand-made reports, read back."""
