"""Fault drills on the production setup (`make drill`, `python -m drills`): see __main__.py."""
