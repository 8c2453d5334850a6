"""Demo assigning authorities of external identifiers (issue 9): what a GHT typically declares."""

from patients.links import IdentifierAuthority

DEMO_AUTHORITIES = [
    ("GHT-CHU", "CHU du GHT (IPP)", ""),
    ("GHT-CH-NORD", "Centre hospitalier Nord du GHT (IPP)", ""),
    ("LABO", "Laboratoire de biologie", ""),
    ("ANCIEN-DPI", "Ancien dossier patient informatisé", ""),
]


def ensure_demo_authorities() -> int:
    """Create the demo authorities that are missing; return how many were created."""
    created = 0
    for code, label, oid in DEMO_AUTHORITIES:
        _, made = IdentifierAuthority.objects.get_or_create(code=code, defaults={"label": label, "oid": oid})
        created += made
    return created
