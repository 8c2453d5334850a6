"""A suspected pair ends in a merge (RNIV ST-11, AUD-05): the referent merges from the comparison screen, and
any merge of two identities (identity page, API) confirms their pair, if the registry had one.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from identity_registry.exceptions import RuleViolation
from identity_registry.history import stamp_history
from identity_registry.inputs import REASON_MAX_LENGTH
from patients.duplicates.models import DuplicateCandidate

CONFIRMED = "DUPLICATE_CONFIRMED"
SURVIVOR_SIDES = ("A", "B")


def duplicate_confirm_merged_pair(*, actor: Any, survivor_id: int, merged_id: int, reason: str) -> bool:
    """Mark the pair of these two identities CONFIRMED (who, when, why); True when the survivor was rewritten.

    Called by ``patient_merge`` inside its transaction: the pair and the merge are written together. The doubt
    is settled: the survivor's HOMD goes when no other suspected pair with an active identity remains (ST-02).
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
    return bool(changed) and _settle_homd(actor=actor, patient_id=survivor_id, pair_reason=reason)


def _settle_homd(*, actor: Any, patient_id: int, pair_reason: str) -> bool:
    from patients.services import identity_clear_attribute  # patients.services imports this module's hook
    from patients.status import Attribute

    still_suspected = DuplicateCandidate.objects.filter(
        Q(patient_low_id=patient_id) | Q(patient_high_id=patient_id),
        state=DuplicateCandidate.State.SUSPECTED,
        patient_low__is_active=True,
        patient_high__is_active=True,
    )
    if still_suspected.exists():
        return False
    result = identity_clear_attribute(
        actor=actor,
        patient=patient_id,
        attribute=Attribute.HOMD,
        reason=f"Doublon confirmé et fusionné : {pair_reason}"[:REASON_MAX_LENGTH],
    )
    return bool(result.changed_fields)


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
