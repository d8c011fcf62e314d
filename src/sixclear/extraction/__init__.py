"""From a resolution's or program's text to proposed structure: its number, date and issuer,
its sections, targets, task groups and tasks (docs/extraction.md). Pure Python: no models, no
network; the page and `sixclear extract` show the same proposals."""

from .parse import Proposal, detect_language, extract
from .reading import UnreadableDocument, read_bytes, read_path

__all__ = ["Proposal", "UnreadableDocument", "detect_language", "extract", "read_bytes",
           "read_path"]
