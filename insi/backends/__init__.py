"""INSi backends: ``soap`` speaks to the real teleservice, ``simulator`` answers in process.

The loader lives here, beside the backends, as Django keeps ``get_connection`` apart from the mail backend
contract: the contract (``insi.client``) and the pure rules (``insi.matching``) import no settings.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from insi.client import InsiClient


def get_client(path: str | None = None) -> InsiClient:
    """Return an instance of the backend named by ``settings.INSI_CLIENT`` (or ``path``)."""
    return import_string(path or settings.INSI_CLIENT)()
