"""Pages composed above the domain apps.

A task, target, unit or resolution page shows parts of several apps (tracking, plans,
monitoring, changes); its view lives here, so the domain apps never import each other's views.
Each view reads through the apps' selectors and writes through their services.
"""
