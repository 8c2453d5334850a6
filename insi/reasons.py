"""Reason codes written on history rows by the INSi services (AUD-01)."""

PROPOSAL_CREATED = "INSI-06_PROPOSAL"
PROPOSAL_ACCEPTED = "INSI-06_ACCEPTED"
PROPOSAL_REJECTED = "INSI-06_REJECTED"
PROPOSAL_SUPERSEDED = "INSI-06_SUPERSEDED"
VERIFICATION_FAILED = "ST-08_VERIFICATION_FAILED"
CALL_LOGGED = "INSI-10_CALL"

LABELS = {
    PROPOSAL_CREATED: "Proposition INSi à décider (INSI-06)",
    PROPOSAL_ACCEPTED: "Proposition INSi acceptée par un référent (INSI-06)",
    PROPOSAL_REJECTED: "Proposition INSi rejetée par un référent (INSI-06)",
    PROPOSAL_SUPERSEDED: "Proposition INSi remplacée par un appel plus récent",
    VERIFICATION_FAILED: "Vérification INSi en échec : INS retirée (ST-08)",
    CALL_LOGGED: "Appel au téléservice INSi (INSI-10)",
}
