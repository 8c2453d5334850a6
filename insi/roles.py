"""INSi permissions of the four roles (ST-09, AUD-02); seeded by data migrations, synced after each migrate."""

from patients.roles import AGENT, AUDITOR, DPI, REFERENT

ROLE_PERMISSIONS = {
    AGENT: ["insi.query_insi", "insi.view_insiproposal"],
    # Issue 12: deciding a proposal on its page is what "changing" it means (like a duplicate pair, ST-11).
    REFERENT: [
        "insi.query_insi",
        "insi.decide_insi",
        "insi.view_insicall",
        "insi.view_insiproposal",
        "insi.change_insiproposal",
    ],
    AUDITOR: ["insi.view_insicall", "insi.view_insiproposal"],
    # The hospital software searches and verifies the INS of the identities it holds (granted by migration
    # 0005); deciding a proposal (INSI-06) stays with the referents.
    DPI: ["insi.query_insi"],
}
