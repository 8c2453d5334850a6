"""Named counters in one table: the SQLite stand-in for the IPP sequence, and the events feed's clock.

Imported at the end of ``patients/models.py`` so Django registers the model with the patients app.
"""

from django.db import connection, models


class Counter(models.Model):
    """One named counter. Bumping it takes a row lock held until commit: writers queue on it."""

    name = models.CharField(max_length=30, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "compteur"
        verbose_name_plural = "compteurs"

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"


def bump_counter(name: str, *, start: int = 0, by: int = 1) -> int:
    """Add ``by`` to the counter and return its new value; the row stays locked until the transaction ends.

    The UPDATE comes first (no read-then-write): on PostgreSQL it takes the row lock, on SQLite the database
    write lock, so a concurrent writer waits for this transaction and then reads the committed value.
    """
    table = Counter._meta.db_table
    for _ in range(2):
        # One statement (issue 10): the bump and its new value, by UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35).
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET value = value + %s WHERE name = %s RETURNING value",  # noqa: S608 - model's table
                [by, name],
            )
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        # A missing row (a fresh or flushed database): create it; a concurrent twin creating it too is fine.
        Counter.objects.bulk_create([Counter(name=name, value=start)], ignore_conflicts=True)
    raise RuntimeError(f"counter {name} could not be bumped")  # pragma: no cover - the row exists by now
