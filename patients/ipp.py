"""The IPP: the registry's own permanent patient number, from a database sequence, with a Luhn key.

Numbers come from a PostgreSQL sequence (``nextval`` never hands out a value twice, even when the
transaction rolls back, so an IPP is never reused). On PostgreSQL each process takes ``IPP_BLOCK_SIZE``
numbers at once and hands them out in turn (issue 10: no round trip per creation); numbers a process
leaves unused when it stops are never handed out, as a rolled-back ``nextval``. SQLite has no sequences:
a counter row, bumped by an UPDATE, stands in; SQLite serialises writers, so two creations never read the same value.
"""

import threading

from django.conf import settings
from django.db import connection
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumValidationError

from patients.counters import bump_counter

SEQUENCE = "patients_ipp_seq"
# The first number handed out: every IPP has 8 digits (7 + the Luhn key) for a long time to come.
FIRST_NUMBER = 1_000_000
COUNTER = "ipp"


def format_ipp(number: int) -> str:
    """The IPP of a sequence number: the number followed by its Luhn check digit."""
    base = str(number)
    return base + luhn.calc_check_digit(base)


def is_valid_ipp(text: str) -> bool:
    """True when ``text`` is all digits, long enough, and its last digit is the Luhn key of the others."""
    compact = "".join((text or "").split())
    if not compact.isdigit() or len(compact) < len(str(FIRST_NUMBER)) + 1:
        return False
    try:
        luhn.validate(compact)
    except StdnumValidationError:
        return False
    return True


def looks_like_ipp(text: str) -> str | None:
    """Return the IPP typed in a search box, if the text is one (spaces allowed)."""
    compact = "".join((text or "").split())
    return compact if is_valid_ipp(compact) else None


_block: list[int] = []
_block_lock = threading.Lock()


def _take_block(size: int) -> None:
    # Called with _block_lock held. The new numbers go below the ones still held: they are handed out after.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE, size])
        _block[:0] = sorted((int(row[0]) for row in cursor.fetchall()), reverse=True)


def hold_numbers(count: int) -> None:
    """Make sure this process holds at least ``count`` numbers (PostgreSQL), so the next ``count`` creations
    need no refill. The refill is one query per ``IPP_BLOCK_SIZE`` creations: measurements of one creation's
    queries take it out of the count this way."""
    if connection.vendor != "postgresql":
        return
    with _block_lock:
        if len(_block) < count:
            _take_block(max(1, settings.IPP_BLOCK_SIZE, count - len(_block)))


def _next_number() -> int:
    if connection.vendor == "postgresql":
        with _block_lock:
            if not _block:
                _take_block(max(1, settings.IPP_BLOCK_SIZE))
            return _block.pop()
    return bump_counter(COUNTER, start=FIRST_NUMBER - 1)


def next_ipp() -> str:
    """Allocate a new IPP (call inside the creating transaction)."""
    return format_ipp(_next_number())


def allocate_ipps(count: int) -> list[str]:
    """Allocate ``count`` IPPs at once (bulk loads: benchmarks, imports)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [SEQUENCE, count])
            return [format_ipp(int(row[0])) for row in cursor.fetchall()]
    last = bump_counter(COUNTER, start=FIRST_NUMBER - 1, by=count)
    return [format_ipp(number) for number in range(last - count + 1, last + 1)]
