from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from patients.demo import ensure_demo_users, load_demo_identities
from patients.demo_authorities import ensure_demo_authorities

# A server listening on every interface is reached on this machine at the loopback address.
ALL_INTERFACES = {"0.0.0.0", "::", "[::]"}  # noqa: S104 - a name to recognise, nothing is bound here


def screens_url(host: str, port: str) -> str:
    """The address of the screens served by ``runserver host:port``, as the agent types it."""
    shown = "127.0.0.1" if host in ALL_INTERFACES else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/admin/"


class Command(BaseCommand):
    help = "Load the demo identities (once) and (re)create one demo user per role, printing their logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", help="Password for every demo user (default: a new random one).")
        # `make run HOST=... PORT=...` passes what runserver will listen on, so the banner names the right address.
        parser.add_argument("--host", default="127.0.0.1", help="Host the server listens on (default 127.0.0.1).")
        parser.add_argument("--port", default="8000", help="Port the server listens on (default 8000).")

    def handle(self, *args, password: str | None = None, host: str = "127.0.0.1", port: str = "8000", **options):
        logins = ensure_demo_users(password)
        actor = get_user_model().objects.get(username="referent")
        created = load_demo_identities(actor=actor)
        ensure_demo_authorities()
        if created:
            self.stdout.write(f"{created} identités de démonstration créées.")
        else:
            self.stdout.write("Identités déjà présentes : jeu de démonstration non rechargé.")
        self.stdout.write(f"Comptes de démonstration ({screens_url(host, str(port))}) :")
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.password:<16} {login.role}")
