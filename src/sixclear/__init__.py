"""Sixclear: turns a resolution into action and tracks that action until it is done."""
