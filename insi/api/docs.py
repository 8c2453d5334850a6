"""What each INSi operation does, for the OpenAPI descriptions (an integrator reads only that).

The roles allowed are appended by ``identity_registry.schema`` from the real permission mapping.
"""

_ST11 = """- `ST-11`: another active identity already holds the returned matricule INS (same OID): a potential
  duplicate to resolve, nothing was written. `POST /patients/{id}/downgrade/` with `withdraw_ins` on the
  other identity frees the INS."""

_PRECHECKS = """- `ST-03`: the identity is doubtful or fictitious (DOUT, FICT): INSi is never called;
- `TR-01`: the sex is U (never sent to INSi); `TR-03`: a strict trait has characters INSi refuses."""

SEARCH = f"""Search INSi for the patient's INS (INSI-01), with the strict traits or, when `vitale` is sent,
with the carte Vitale, and act on the answer.

**Retries run by the registry itself** (each one is a logged call, listed in `calls`, INSI-10): the first
first name alone, then each other birth first name alone, then the full list, without the birthplace; it
stops at the first `00` (exactly one identity). On `02` (several identities, INSI-08) it retries adding the
birthplace, then the full first-name list, then both. An unknown birthplace (99999) is never sent (TR-06).
Retries that need a person (INSI-07, INSI-08, INSI-11: other spellings, checking the document again, trying
later) are never run automatically: they are returned in `retries` for the agent.

The answer's `outcome` says what happened (see its values): `MATCH` retrieves the INS and the returned
traits replace the local ones (INSI-09, status RECUP or QUAL); `NEEDS_DECISION` creates a `proposal` a
referent accepts or rejects (`POST .../insi/decision/`, INSI-06); `DISCORDANT`, `INS_REFUSED` (the returned
matricule fails TR-10, TR-12 or TR-14), `NOT_FOUND` and `MULTIPLE` change nothing. `differences` lists
each local ↔ INSi difference with its rule.

409 codes:
{_PRECHECKS}
{_ST11}

503 `insi_unavailable`: technical failure of the teleservice (INSI-02); the call is logged and the identity
is untouched. The whole exchange is bounded by the configured INSi timeouts."""

VERIFY = f"""Verify the stored INS through INSi (ST-08 periodic re-verification, INSI-12).

`VERIFIED`: INSi returned the same matricule, OID and traits; the verification date is updated.
`CHANGED`: INSi returned another matricule or OID, other traits, a matricule refused by TR-10/TR-12, or no
identity (`cr` 01 or 02): the INS is withdrawn at once (ST-08, ST-06: the status drops from QUAL to VALI, or
from RECUP to PROV), `differences` says why, and a `proposal` of kind VERIFICATION waits for a referent
(`POST .../insi/decision/`).

409 codes:
- `ST-08`: the identity has no retrieved INS to verify;
{_PRECHECKS}

503 `insi_unavailable`: technical failure (INSI-02), logged, identity untouched."""

DECISION = f"""Accept or reject the pending INSi proposal with a justification (INSI-06, ST-08). Only a
referent decides. `proposal_id` picks the proposal; by default the patient's pending one.

Accepting a RETRIEVAL proposal retrieves the INS and the returned traits (INSI-09). Rejecting changes nothing
on the identity. The proposal's `state` becomes ACCEPTED or REJECTED.

409 codes:
- `INSI-06`: no pending proposal (or it was already decided);
- `ST-08`: INSi returned no identity for this verification, so the proposal can only be rejected;
{_ST11}

412: the identity changed since the proposal was made; read it again and search again."""

CALLS = """The INSi call log of the patient (INSI-10), newest first: who called, when, which operation, the
traits sent (never the envelope), the result code `cr`, the matricule returned and the `outcome`. Reading it
is a read of the identity, recorded in the access log (AUD-03). Paged with `limit` (default 50, at most 500)
and `offset`."""
