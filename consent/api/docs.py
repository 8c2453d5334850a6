"""What each consent operation does, for the OpenAPI descriptions (an integrator reads only that).

The roles allowed are appended by ``identity_registry.schema`` from the real permission mapping.
"""

PROFESSIONAL_LIST = """List the active professionals, or find one with `?national_id=`: its RPPS or ADELI
identifier as entered (PRO-01: RPPS prefixed 8, 12 digits; ADELI prefixed 0, 10 digits). The identifier is
unique, so the list then holds that one professional (deactivated or not: see `is_active`), or nothing."""

PROFESSIONAL_CREATE = """Register a professional with a national identifier and a CPx card type (PRO-01,
PRO-02). `national_id` is **unique**: one professional per RPPS or ADELI identifier, deactivated ones
included. The kind (`id_kind`) is read from the prefix.

409 codes: `PRO-01` (another professional already has this national identifier)."""

PROFESSIONAL_RETRIEVE = "Read a professional, active or not, by its `id`."

PROFESSIONAL_UPDATE = """Change a professional; only the fields sent change.

409 codes: `PRO-01` (the new national identifier belongs to another professional)."""

PROFESSIONAL_DELETE = """Deactivate a professional: it leaves the list and can no longer declare an emergency
access; its records and history stay (AUD-01). Its national identifier stays taken."""

EPISODE_LIST = "List care episodes (CONS-01), of one patient with `patient`, each with its care team."

EPISODE_CREATE = """Open a care episode for a patient (CONS-01): consents, the care team and emergency
accesses belong to one episode. `patient` is the identity's `id` (UUID). A pre-admission episode gives no
presumed consent (CONS-01, CONS-03)."""

EPISODE_RETRIEVE = "Read a care episode and its care team."

EPISODE_UPDATE = """Change a care episode, or close it by setting `ended_at`. A closed episode takes no new
consent, team member or emergency access (409 `CONS-01` on those operations)."""

EPISODE_DELETE = """Delete an episode opened by mistake.

409 codes: `CONS-01` (the episode already has a team, consents, emergency accesses or decisions: close it
with `ended_at` instead)."""

TEAM_LIST = "List the members of the episode's care team, past and present."

TEAM_ADD = """Add a professional to the episode's care team (CONS-03: a member has presumed consent).

409 codes: `CONS-01` (the episode is closed), `CONS-03` (already a member)."""

TEAM_END = """End a care-team membership (`left_at`, now by default): from then on the professional has no
presumed consent for this episode.

409 codes: `CONS-03` (the membership already ended)."""

CONSENT_LIST = "List a patient's consent records, withdrawn ones included (`withdrawn_at`)."

CONSENT_CREATE = """Record what the patient (or their representative, CONS-04) said, for one episode.

How the DMP access decision reads the records (CONS-03):
- a **care-team member** has presumed consent only once the patient was informed in this episode: record
  `purpose: dmp_consultation` with `decision: informed` (without it the decision is `patient_not_informed`);
- an **explicit consent** (`decision: given`) counts only in its episode. With `professional` set it counts
  only for that professional; without it, only for the care team. A professional outside the team needs a
  consent naming them (or a `delegation`, which must name the professional);
- a `refused` consultation stops everyone, the care team included, until a later `given`;
- feeding the DMP needs a `dmp_feeding_information` record (`informed`) in any episode, and no opposition
  (CONS-02, CONS-06).

The decision must fit the purpose (400 otherwise): see the values of `purpose` and `decision`.

409 codes: `CONS-01` (the episode is closed)."""

CONSENT_WITHDRAW = """Withdraw a consent record from now on (history kept). A withdrawn `given` consent is
refused on the basis `consent_withdrawn`.

409 codes: `CONS-01` (already withdrawn)."""

OPPOSITION_LIST = "List a patient's standing oppositions (CONS-06), withdrawn ones included."

OPPOSITION_CREATE = """Record a standing opposition of the patient (CONS-06): to any emergency access, to
Centre 15 access, or to feeding the DMP. It counts from the moment it is recorded until withdrawn, across
episodes.

409 codes: `CONS-06` (the same opposition is already in force)."""

OPPOSITION_WITHDRAW = """Withdraw an opposition from now on (history kept).

409 codes: `CONS-06` (already withdrawn)."""

EMERGENCY_LIST = "List the emergency accesses declared for a patient's episodes (CONS-05)."

EMERGENCY_CREATE = """Declare an emergency access to the patient's DMP (CONS-05) in one of two modes, with a
written justification and `patient_cannot_express: true` (400 otherwise). The declaration is recorded and
the registry decides at once.

**A refused emergency access is a 201, not a 409**: the declaration is kept (it is an audited fact) and
`decision.allowed` is false with the reason in `decision.basis` and `decision.message` (for example
`emergency_opposed` when the patient opposed it, CONS-06). Check `decision.allowed`, never the status code
alone. An allowed declaration is valid 24 hours for this professional, episode and mode.

409 codes: `CONS-01` (the episode is closed)."""

DECISION_LIST = "Read the log of DMP access decisions (CONS-08), newest first, of one patient with `patient`."

DECISION_CREATE = """Ask whether a professional may access the patient's DMP now, for an episode and a
purpose (CONS-08). The answer is always a 200: `allowed` true or false, the `basis` (see its values), the
`rule` and a French `message`. Every decision is logged for auditors.

Order of the checks: the card (CONS-07: CPS or CPF only), then the emergency mode (CONS-05, CONS-06), then
feeding (ST-04: a qualified identity, CONS-02), then consultation (CONS-01, CONS-03, CONS-04: see
`POST /consents/` for when a consent counts)."""
