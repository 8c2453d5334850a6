"""Read a scanned Datamatrix INS for the creation form (RNIV DM-01, reverse): the traits to fill, in JSON.

Nothing is written and nothing is logged: the text holds traits and an INS (health data stays out of logs).
"""

from django.http import JsonResponse

from identity_registry.inputs import DATAMATRIX_SCAN_MAX_LENGTH
from patients.datamatrix import DatamatrixRefused, read_datamatrix_text
from patients.ins import INS_OIDS

READ_MESSAGE = (
    "Datamatrix lu : traits remplis (mode de recueil « code-barres ou Datamatrix »). Relisez-les avec la pièce "
    "d'identité. L'INS lue ({kind}) ne comptera qu'après vérification par le téléservice INSi."
)


def datamatrix_read_response(text: str) -> JsonResponse:
    """Answer the form fields a scanned text fills, or a 400 with the reason in French."""
    if len(text) > DATAMATRIX_SCAN_MAX_LENGTH:
        return JsonResponse({"error": "Texte trop long pour un Datamatrix INS."}, status=400)
    try:
        read = read_datamatrix_text(text)
    except DatamatrixRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    first_names = read.first_names.split(" ")
    fields = {
        "birth_name": read.birth_name,
        "first_name": first_names[0],
        "first_names": read.first_names,
        "sex": read.sex,
        "birth_date": f"{read.birth_date:%d/%m/%Y}",
        "birthplace_cog": read.birthplace_cog,
    }
    kind = INS_OIDS.get(read.oid, read.oid)
    return JsonResponse({"fields": fields, "message": READ_MESSAGE.format(kind=kind)})
