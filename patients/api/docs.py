"""What each operation of the patients API does, for the OpenAPI descriptions (an integrator reads only that).

The roles allowed are appended by ``identity_registry.schema`` from the real permission mapping.
"""

CREATE = """Create a provisional identity (status PROV) from its traits (TR-01, TR-02).

The strict traits are normalised as INSi expects them (TR-03): read `warnings` for each change made (for
example a transliterated Æ). The created identity's id is **`patient.id`** (a UUID) in the response body;
the `Location` header points at it and the `ETag` header carries its version for later writes.

Send an `Idempotency-Key` (any UUID): a retry with the same key and body returns the first result
(`Idempotent-Replayed: true`) instead of a second patient; the same key with another body is a 422.
No rule conflict (409) is possible: a new identity carries no INS."""

SEARCH = """Search identities with the same criteria as the screen (TR-05: insensitive to case, accents,
hyphens, apostrophes and spaces). Criteria go in the body, never in the URL: they are health data.

Results come in pages of `page_size` (default 20, at most 100); POST the same body to the `next` URL for the
following page. Each identity listed is recorded in the access log (AUD-03).

With `q` (free text: name words, first names, a birth date JJ/MM/AAAA, an IPP or a matricule INS, in any
order), the search forgives typos, sound-alike spellings, the used name typed for the birth name and a day
and month swapped: one ranked page (exact matches first, then by similarity), each result with
`match` = {exact, score, reasons} (codes)."""

RETRIEVE = """Read one identity by its `id` (UUID). The `ETag` header carries its version: send it back in
`If-Match` to write. Share the INS only when `ins_shareable` is true (status QUAL, ST-04). The read is
recorded in the access log (AUD-03).

AUD-05: the id of a merged identity answers **308 Permanent Redirect** to its survivor (header `Location`;
body `details.merged_into` gives the survivor's id and IPP). Not cached: an unmerge makes the old id answer
for itself again."""

UPDATE_TRAITS = """Change some traits; only the fields sent change. Needs `If-Match`.

409 codes: `ST-05`: a strict trait of an identity whose INS was retrieved (RECUP, QUAL) is locked; downgrade
it first (`POST .../downgrade/` with `withdraw_ins`); `details.locked_fields` names the traits.

A birth first-name list that does not open with the first name (TR-01) is a 400 naming `first_names`.

Editing a strict trait of a VALI identity withdraws the document validation (ST-07): the status returns to
PROV and `warnings` says so. Additional traits (used name, address, phone...) change nothing else."""

VALIDATE_DOCUMENT = """Record the identity document the agent checked (ID-01 to ID-08). Needs `If-Match`.

A high-trust document validates the identity (C, ST-01): PROV becomes VALI, RECUP becomes QUAL. Any other
document is recorded and does not validate: `document.can_validate` is false, `document.rule` names the ID
rule and `warnings` says why in French. `context` unlocks documents that validate only in a situation: see
its values. An expired document still validates (ID-03). `document_number` (optional) is stored normalised;
`traits_confirmed: false` refuses a high-trust document (400). Attach a scan afterwards with
`POST .../documents/{document.id}/scan/` (ID-09).

409 codes: `ST-03` (a doubtful or fictitious identity cannot be validated), `TR-01` (sex U: fill it first),
`DOCUMENT_ALREADY_RECORDED` (the same type, country and number is already recorded for this identity; it may
be checked again only after its validation was withdrawn, ST-06/ST-07. Without a number: an identical check
while the identity has not changed since)."""

DOCUMENT_DECLINED = """Record that the person declined to show an identity document (ST-10). Needs `If-Match`.

The person is cared for normally; the status does not change (the identity cannot be validated, hence not
qualified, without a document). The refusal is kept in the identity's history and the auditor's timeline.

409 codes: `AUD-05` (a merged identity: record it on the identity kept)."""

SCAN_UPLOAD = """Attach the scan of a recorded document (ID-09), as `multipart/form-data` with the file in `scan`.

The content is checked, not the name: a PDF, JPEG or PNG that opens as such, at most `ID_SCAN_MAX_BYTES` (5 MB
by default); anything else is a 400 and nothing is stored. The file is kept in private storage under a random
name and purged `ID_SCAN_RETENTION_DAYS` after the identity's last activity.

409 codes: `ID-09` (the document already has a scan: it is not replaced)."""

SCAN_READ = """Read the scan of a recorded document (ID-09): the file itself, with its content type. Every read is
logged in the identity's access log (AUD-03) and shows in its timeline.

409 codes: `ID-09` (no scan, or purged after the retention period)."""

ATTRIBUTES = """Set or clear an attribute (ST-02) with a mandatory reason. Needs `If-Match`.

`DOUT` or `FICT` forces the status to PROV and forbids INSi calls and validation (ST-03); clearing it gives
back the status the recorded facts allow. `FICTI` is read as `FICT` (HL7 v2 PAM alias); the response always
says `FICT`. Setting an attribute already set changes nothing.

409 codes: `ST-02` (DOUT and FICT cannot both be set: clear one first)."""

DOWNGRADE = """Withdraw the INS (`withdraw_ins`) and/or the document validation (`withdraw_document`) with a
mandatory reason (ST-06). Needs `If-Match`.

`withdraw_ins` removes the matricule from the identity (kept in its INS history) and unlocks the strict
traits (ST-05). It also frees the matricule: another identity may then retrieve it without the `ST-11`
conflict.

409 codes: `ST-06` (nothing to withdraw: no retrieved INS and no validation)."""

HISTORY = """Who changed what, when and why (AUD-01), newest first: the identity's rows and its documents'
rows, each with the reason code and the written justification. The read is recorded in the access log
(AUD-03)."""

# Issue 9: identifiers of other systems, merges (AUD-05) and the events feed.

AUTHORITIES = """The assigning authorities referents administer (another establishment of the GHT, a legacy
system, a laboratory): send one's `code` as `authority` when adding an identifier."""

IDENTIFIERS_LIST = """The identifiers other systems gave this identity: (assigning authority, value). The `ETag`
header carries the identity's version: send it back in `If-Match` to add or remove one."""

IDENTIFIER_ADD = """Attach an identifier of another system: an authority `code` from `/identifier-authorities/`
and a value, stored without spaces and in upper case. Needs `If-Match`. Adding the identifier the identity
already holds changes nothing (201 with the same identifier).

409 codes: `IDENTIFIER_TAKEN` (another active identity holds this authority and value: a potential duplicate,
to resolve by a merge, AUD-05; `details.authority` and `details.value` name it), `AUD-05` (this identity was
merged: write on its survivor, `details.merged_into`)."""

IDENTIFIER_REMOVE = """Detach an identifier of another system with a mandatory reason; its history keeps what
it was (AUD-01). Needs `If-Match`. An identifier this identity does not hold is a 400 naming `identifier`.

409 codes: `AUD-05` (this identity was merged: write on its survivor, `details.merged_into`)."""

MERGE = """This identity survives. The duplicate (`merged`) becomes inactive and points to it (`merged_into`);
its documents, identifiers, earlier INS, care episodes and consents move here, each move listed in `moved`.
If-Match carries this identity's ETag. Afterwards, GET on the duplicate's id answers 308 to this identity.
Only referents merge (AUD-05). `warnings` says when the duplicate's INS is not carried over.

409 codes: `ST-11` (both identities carry an INS and they differ: verify them through INSi first), `AUD-05`
(one of the two is no longer active: already merged)."""

UNMERGE = """Undo the merge of this (merged) identity: it is active again with the status and attributes it
had before the merge, the survivor gets back its own, and exactly the rows the merge moved (`moved`) go back
to this identity. Only referents unmerge (AUD-05).

409 codes: `AUD-05` (this identity is not merged, its merge was already undone, or its survivor was since
merged in turn: undo that merge first), `ST-11` (the restored identity's INS is now held by another active
identity)."""

EVENTS = """Each create, trait change, status change, attribute, INS or identifier change, merge and unmerge,
identity incident opened or closed (AUD-04), with the identity's ids and the kinds of change, never the
traits. Events are durable and appear in commit order with no gap: store `next_cursor` and send it back as
`after`."""
