from django.core.management.base import BaseCommand

from consent.demo import demo_actor, load_consent_demo


class Command(BaseCommand):
    help = "Load demo professionals and care episodes (once), after load_demo."

    def handle(self, *args, **options) -> None:
        created = load_consent_demo(actor=demo_actor())
        if created:
            self.stdout.write(f"{created} professionnels et 2 épisodes de soins de démonstration créés.")
        else:
            self.stdout.write("Professionnels déjà présents : démonstration des consentements non rechargée.")
