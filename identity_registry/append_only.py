"""Tables nobody can rewrite (RNIV AUD-01): PostgreSQL refuses UPDATE, DELETE and TRUNCATE on them.

Every history table (any model built by ``audited_history()``) and every log (a model deriving from
``AppendOnlyRecord``) gets two triggers, created by the migrations through django-pgtrigger:

- ``append_only``: a row-level BEFORE UPDATE OR DELETE trigger that raises;
- ``append_only_truncate``: a statement-level BEFORE TRUNCATE trigger that raises.

The triggers attach themselves when the model class is prepared, so an audited model or a log added
later is covered without touching this module: ``makemigrations`` writes its triggers with its table.

Retention purges are the one exception (``retention_exception``): a dedicated, logged code path.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pgtrigger
from django.db import models
from django.db.models.signals import class_prepared
from django.dispatch import receiver

ROW_TRIGGER = "append_only"
TRUNCATE_TRIGGER = "append_only_truncate"


class AppendOnlyRecord(models.Model):
    """Abstract base of every log (access log, INSi call log, DMP decision log, events feed): insert only."""

    class Meta:
        abstract = True


def append_only_triggers() -> list[pgtrigger.Trigger]:
    """The two triggers that make a table append-only (AUD-01)."""
    return [
        pgtrigger.Trigger(
            name=ROW_TRIGGER,
            level=pgtrigger.Row,
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            func="RAISE EXCEPTION 'AUD-01: % on % refused, the table is append-only', TG_OP, TG_TABLE_NAME;",
        ),
        pgtrigger.Trigger(
            name=TRUNCATE_TRIGGER,
            level=pgtrigger.Statement,
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            func="RAISE EXCEPTION 'AUD-01: TRUNCATE on % refused, the table is append-only', TG_TABLE_NAME;",
        ),
    ]


def is_append_only(model: type[models.Model]) -> bool:
    """True for history tables and logs: the models the AUD-01 triggers protect."""
    return issubclass(model, AppendOnlyRecord) and not model._meta.abstract and not model._meta.proxy


@receiver(class_prepared)
def _protect_append_only(sender: type[models.Model], **kwargs) -> None:
    if is_append_only(sender) and not any(t.name == ROW_TRIGGER for t in getattr(sender._meta, "triggers", [])):
        pgtrigger.register(*append_only_triggers())(sender)


def protected_models() -> list[type[models.Model]]:
    """Every installed model that the AUD-01 triggers protect."""
    from django.apps import apps

    return [model for model in apps.get_models() if is_append_only(model)]


def _uris(model_list: Iterable[type[models.Model]], names: Iterable[str]) -> list[str]:
    return [f"{model._meta.label}:{name}" for model in model_list for name in names]


@contextmanager
def retention_exception(*model_list: type[models.Model]) -> Iterator[None]:
    """Lift the AUD-01 triggers of ``model_list`` for a retention purge, and only for that.

    Only ``identity_registry.retention.retention_purge`` (which logs each purge) should call this.
    """
    with pgtrigger.ignore(*_uris(model_list, (ROW_TRIGGER, TRUNCATE_TRIGGER))):
        yield


@contextmanager
def flush_exception_for_tests() -> Iterator[None]:
    """Let the test runner's flush (TRUNCATE between transactional tests) through; tests only."""
    with pgtrigger.ignore(*_uris(protected_models(), (TRUNCATE_TRIGGER,))):
        yield
