"""Spreadsheet import and export that round-trips."""
