from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Consentements et accès DMP"

    def ready(self) -> None:
        from consent import merge_hooks
        from consent.roles import ROLE_PERMISSIONS
        from identity_registry.roles import connect_role_sync
        from patients.extensions import PatientPageLink, register_patient_page_link

        # The identity page links here; patients never imports consent.
        register_patient_page_link(
            PatientPageLink(
                label="Consentements et accès DMP",
                url_name="admin:consent_patient_dmp",
                permission="consent.view_careepisode",
            )
        )
        connect_role_sync(self, ROLE_PERMISSIONS)
        # RNIV AUD-05: care episodes, consents and oppositions move with a merge.
        merge_hooks.register()
        # RNIV AUD-02: consents, oppositions, emergency accesses and DMP decisions in the timeline.
        from consent.timeline import SOURCE
        from patients.extensions import register_timeline_source

        register_timeline_source(SOURCE)
