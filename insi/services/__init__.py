"""INSi services: each writes its call-log rows (INSI-10) and changes identities only through patients."""

from insi.services.common import InsiOutcome
from insi.services.confirm import insi_confirm_retrieval
from insi.services.decisions import insi_decide_proposal
from insi.services.retry import insi_retry_search
from insi.services.search import VitaleCard, insi_search_for_patient, insi_search_with_vitale
from insi.services.verify import insi_verify_patient

__all__ = [
    "InsiOutcome",
    "VitaleCard",
    "insi_confirm_retrieval",
    "insi_decide_proposal",
    "insi_retry_search",
    "insi_search_for_patient",
    "insi_search_with_vitale",
    "insi_verify_patient",
]
