from django.apps import AppConfig


class InsiConfig(AppConfig):
    name = "insi"
    verbose_name = "Téléservice INSi"

    def ready(self) -> None:
        from identity_registry.roles import connect_role_sync
        from insi import checks  # noqa: F401 - registers the system checks
        from insi.roles import ROLE_PERMISSIONS
        from patients.extensions import PatientPageLink, register_patient_page_link
        from patients.status import blocks_qualification

        # RNIV ST-09: the "Interroger INSi" button shows only to users allowed to query.
        register_patient_page_link(
            PatientPageLink(
                label="Interroger INSi",
                url_name="admin:insi_query",
                permission="insi.query_insi",
                # RNIV ST-03: no INSi call for a doubtful or fictitious identity: no button either (issue 12).
                when=lambda patient: not blocks_qualification(patient.attributes),
            )
        )
        connect_role_sync(self, ROLE_PERMISSIONS)
        # RNIV AUD-02: INSi calls and decisions in the auditor's timeline.
        from insi.timeline import SOURCE
        from patients.extensions import register_timeline_source

        register_timeline_source(SOURCE)
        # Issue 12: proposals to decide and INS due for re-verification on the referent's desk.
        from insi import worklists

        worklists.register()
