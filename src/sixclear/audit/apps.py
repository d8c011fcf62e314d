"""The audit trail follows simple-history: one chained entry per historical record."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sixclear.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate, post_save
        from simple_history.signals import (
            post_create_historical_m2m_records,
            post_create_historical_record,
        )

        from . import chain

        # Infrastructure, not domain logic: whatever writes a historical record (a service, the
        # admin, a change approval) gets its entry in the same transaction.
        post_create_historical_record.connect(
            chain.entry_for_historical_record, dispatch_uid="sixclear.audit.chain")
        post_create_historical_m2m_records.connect(
            chain.entries_for_link_history, dispatch_uid="sixclear.audit.chain.m2m")
        # Transition logs (django-fsm-log) are chained as their rows are written.
        for label in chain.LOG_MODELS:
            if apps.is_installed(label.rsplit(".", 1)[0]):
                post_save.connect(chain.entry_for_log_row, sender=label,
                                  dispatch_uid=f"sixclear.audit.chain.log.{label}")
        # The columns of every table as migrated: what the entries written from now are
        # digested with.
        post_migrate.connect(chain.record_field_sets, sender=self,
                             dispatch_uid="sixclear.audit.field_sets")
