"""Shapes of the duplicate answers of the API (RNIV ST-11, AUD-05, TR-05).

Codes, never French, in the explanation: each trait says ``EXACT``, ``SEPARATORS``, ``USED_NAME``,
``CLOSE``, ``PHONETIC``, ``SUBSET``, ``SWAPPED``, ``UNKNOWN``, ``DIFFERENT``, ``SAME_INS`` or ``OTHER_INS``.
"""

from typing import Any

from rest_framework import serializers

from patients.api.choices import MATCH_CLASS_CHOICES
from patients.api.serializers import PatientOutput, StrictInput, _text
from patients.duplicates.scoring import MatchScore
from patients.duplicates.selectors import Candidate
from patients.duplicates.services import explanation_of
from patients.models import Patient, Sex
from patients.search.query import REASON_LABELS, Ranking, Reason

REASON_CHOICES = [(r.value, REASON_LABELS[r]) for r in Reason]


class MatchInput(StrictInput):
    birth_name = _text(100)
    first_name = _text(100)
    first_names = _text(255, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField()
    birthplace_cog = _text(5, required=False, allow_blank=True)
    used_name = _text(100, required=False, allow_blank=True)


class TraitComparisonOutput(serializers.Serializer):
    outcome = serializers.CharField(help_text="EXACT, SEPARATORS, USED_NAME, CLOSE, PHONETIC, SUBSET, SWAPPED, …")
    similarity = serializers.FloatField()


class CandidateOutput(serializers.Serializer):
    patient = PatientOutput()
    score = serializers.FloatField(help_text="0 to 1.")
    match_class = serializers.ChoiceField(choices=MATCH_CLASS_CHOICES)
    traits = serializers.DictField(child=TraitComparisonOutput(), help_text="Trait code → comparison.")


class MatchOutput(serializers.Serializer):
    candidates = CandidateOutput(many=True)


class SuspectedDuplicateOutput(serializers.Serializer):
    pair_id = serializers.IntegerField(source="pk")
    patient = serializers.UUIDField(help_text="Public id of the other identity.")
    score = serializers.FloatField()
    match_class = serializers.CharField()
    traits = serializers.DictField(source="explanation", child=TraitComparisonOutput())


class SearchMatchOutput(serializers.Serializer):
    exact = serializers.BooleanField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=REASON_CHOICES))


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    match: MatchScore = candidate.match
    return {
        "patient": candidate.patient,
        "score": match.score,
        "match_class": match.match_class.value if match.match_class else "",
        "traits": explanation_of(match),
    }


def suspected_duplicates_data(patient: Patient, pairs: list) -> list[dict[str, Any]]:
    rows = []
    for pair in pairs:
        other = pair.patient_high if pair.patient_low_id == patient.pk else pair.patient_low
        row = {"pk": pair.pk, "patient": other.public_id, "score": pair.score, "match_class": pair.match_class}
        rows.append(SuspectedDuplicateOutput({**row, "explanation": pair.explanation}).data)
    return rows


def search_match_data(ranking: Ranking) -> dict[str, Any]:
    return {"exact": ranking.exact, "score": ranking.score, "reasons": [r.value for r in ranking.reasons]}


class PatientWriteWithDuplicatesOutput(serializers.Serializer):
    patient = PatientOutput()
    warnings = serializers.ListField(child=serializers.CharField())
    changed_fields = serializers.ListField(child=serializers.CharField())
    suspected_duplicates = SuspectedDuplicateOutput(
        many=True, help_text="ST-11: the pairs this creation recorded as suspected (HOMD set on both)."
    )
