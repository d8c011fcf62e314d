"""Periodic reports, decision appendices and signed documents."""
