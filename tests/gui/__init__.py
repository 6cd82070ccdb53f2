"""Tests of the PySide6 GUI (pytest-qt, offscreen)."""
