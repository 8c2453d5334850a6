"""A suspected pair ends in a merge (RNIV ST-11, AUD-05): the referent merges from the comparison screen, and
any merge of two identities (identity page, API) confirms their pair, if the registry had one.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history
from patients.duplicates.models import DuplicateCandidate

CONFIRMED = "DUPLICATE_CONFIRMED"
SURVIVOR_SIDES = ("A", "B")


def duplicate_confirm_merged_pair(*, actor: Any, survivor_id: int, merged_id: int, reason: str) -> int:
    """Mark the pair of these two identities CONFIRMED (who, when, why); return how many pairs changed.

    Called by ``patient_merge`` inside its transaction: the pair and the merge are written together.
    """
    low, high = sorted((survivor_id, merged_id))
    pairs = DuplicateCandidate.objects.select_for_update().filter(
        Q(patient_low_id=low, patient_high_id=high), ~Q(state=DuplicateCandidate.State.CONFIRMED)
    )
    changed = 0
    for pair in pairs:
        pair.state = DuplicateCandidate.State.CONFIRMED
        pair.decided_by = actor
        pair.decided_at = timezone.now()
        pair.decision_reason = reason
        pair.postponed_at = None
        stamp_history(pair, actor=actor, reason_code=CONFIRMED, reason=reason)
        pair.save()
        changed += 1
    return changed


@transaction.atomic
def duplicate_merge_pair(*, actor: Any, pair: DuplicateCandidate | int, survivor_side: str, reason: str) -> Any:
    """Merge a suspected pair, keeping side A (``patient_low``) or B (``patient_high``) (AUD-05).

    ``patient_merge`` checks the referent's permission, the reason and ST-11, and confirms the pair.
    """
    from patients.services import patient_merge  # patients.services imports this module's hook

    pk = pair.pk if isinstance(pair, DuplicateCandidate) else pair
    locked = DuplicateCandidate.objects.select_for_update().get(pk=pk)
    if locked.state != DuplicateCandidate.State.SUSPECTED:
        raise RuleViolation("Cette paire a déjà été traitée : rien n'a été fusionné.", code="AUD-05")
    if survivor_side not in SURVIVOR_SIDES:
        raise RuleViolation("Choisissez l'identité conservée : A ou B.", code="AUD-05")
    sides = (locked.patient_low_id, locked.patient_high_id)
    survivor, merged = sides if survivor_side == "A" else sides[::-1]
    return patient_merge(actor=actor, survivor=survivor, merged=merged, reason=reason)
