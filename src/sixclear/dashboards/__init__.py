"""Unit dashboards, league tables and the rollups they read."""
