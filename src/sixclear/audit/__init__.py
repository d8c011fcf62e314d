"""The tamper-evident audit trail: a hash chain over every historical record, and backups."""
