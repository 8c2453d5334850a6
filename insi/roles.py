"""INSi permissions of the four roles (ST-09, AUD-02); seeded by a data migration."""

from patients.roles import AGENT, AUDITOR, REFERENT

ROLE_PERMISSIONS = {
    AGENT: ["insi.query_insi", "insi.view_insiproposal"],
    REFERENT: ["insi.query_insi", "insi.decide_insi", "insi.view_insicall", "insi.view_insiproposal"],
    AUDITOR: ["insi.view_insicall", "insi.view_insiproposal"],
}
