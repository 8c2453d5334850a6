"""The schemathesis configuration of a fuzz run: the seeded rows as dictionaries bound to ids and bodies.

Each id the API takes (in the path, the query or the body) is drawn from the rows ``fuzz.seed`` made with
probability ``REAL``, and generated from the schema otherwise: most cases reach the code behind the 404,
some still probe unknown ids.
"""

import json
from pathlib import Path
from typing import Any

REAL = 0.85

# dictionary name → (seed key, values are quoted versions for If-Match?)
DICTIONARIES = {
    "patients": "patients",
    "episodes": "episodes",
    "team_members": "team_members",
    "consents": "consents",
    "oppositions": "oppositions",
    "professionals": "professionals",
    "identifiers": "identifiers",
}
# Global bindings: a name means the same row wherever it appears.
GLOBAL = {
    "path.public_id": "patients",
    "query.patient": "patients",
    "path.identifier_id": "identifiers",
    "body.patient": "patients",
    "body.merged": "patients",
    "body.episode": "episodes",
    "body.professional": "professionals",
    "header.If-Match": "versions",
}
# ``{id}`` names a different row under each path.
PATH_IDS = {
    "^/api/v1/care-episodes/": "episodes",
    "^/api/v1/care-team-members/": "team_members",
    "^/api/v1/consents/": "consents",
    "^/api/v1/oppositions/": "oppositions",
    "^/api/v1/professionals/": "professionals",
}


# Checks tuned to the registry's contract (every other check keeps schemathesis' defaults):
# - a malformed If-Match is a stale precondition, 412 (RFC 9110 §13.1.1): a refusal like the 4xx listed;
# - a request valid by the schema may still break a rule no JSON Schema can state (TR-01: the first first name
#   heads the list; PRO-01: the identifier's key; a row that must exist; the identity's current version), so
#   ``positive_data_acceptance`` is not a gate: the constraints a schema can state are in it (issue 11).
# No cache across runs: a run replays only what its seed draws (reproducible), and writes nothing in the repo.
CHECKS = """[cache]
enabled = false

[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428, 429]

[checks.positive_data_acceptance]
enabled = false
"""


# RULES PRO-02: DELETE deactivates a professional, who stays readable (is_active false) for the records that
# name them; the operation's documentation says so. "Deleted resource still available" is the rule there.
KEPT_AFTER_DELETE = {"professionals"}


def _binding(dictionary: str) -> str:
    return f'{{ dictionary = "{dictionary}", probability = {REAL} }}'


def config_text(seeded: dict[str, Any]) -> str:
    lines = [CHECKS]
    for name, key in DICTIONARIES.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(seeded[key])}", ""]
    versions = [f'"{version}"' for version in seeded["patient_versions"]]
    lines += ["[dictionaries.versions]", f"values = {json.dumps(versions)}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {_binding(dictionary)}' for key, dictionary in GLOBAL.items()]
    for regex, dictionary in PATH_IDS.items():
        lines += ["", "[[operations]]", f'include-path-regex = "{regex}"']
        lines += ["[operations.parameters]", f'"path.id" = {_binding(dictionary)}']
        if dictionary in KEPT_AFTER_DELETE:
            lines += ["[operations.checks.use_after_free]", "enabled = false"]
    # RULES INSI-02: the INSi simulator answers a technical fault to traits the real service refuses (lower case,
    # diacritics: most demo names), which the API documents as 503 insi_unavailable. That 503 is the upstream's
    # answer, not a server defect; a 500 anywhere still fails (and so does any traceback in the server log).
    lines += ["", "[[operations]]", 'include-path-regex = "/insi/(search|verify)/$"']
    lines += ["[operations.checks.not_a_server_error]", 'expected-statuses = ["2xx", "3xx", "4xx", 503]']
    return "\n".join(lines) + "\n"


def write_config(workdir: Path, seeded: dict[str, Any]) -> Path:
    path = workdir / "schemathesis.toml"
    path.write_text(config_text(seeded))
    return path
