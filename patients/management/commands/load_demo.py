from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from patients.demo import ensure_demo_users, load_demo_identities
from patients.demo_authorities import ensure_demo_authorities


class Command(BaseCommand):
    help = "Load the demo identities (once) and (re)create one demo user per role, printing their logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Password for every demo user (default: a new random one).")

    def handle(self, *args, password: str | None = None, **options) -> None:
        logins = ensure_demo_users(password)
        actor = get_user_model().objects.get(username="referent")
        created = load_demo_identities(actor=actor)
        ensure_demo_authorities()
        if created:
            self.stdout.write(f"{created} identités de démonstration créées.")
        else:
            self.stdout.write("Identités déjà présentes : jeu de démonstration non rechargé.")
        self.stdout.write("Comptes de démonstration (http://127.0.0.1:8000/admin/) :")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.password:<16} {login.role}")
