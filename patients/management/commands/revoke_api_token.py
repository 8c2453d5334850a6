"""``manage.py revoke_api_token <username>``: revoke the API token(s) of an account (issue 11)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from patients.api_tokens import api_token_revoke


class Command(BaseCommand):
    help = "Révoque le(s) jeton(s) d'API d'un compte."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Compte inconnu : {username}")
        count = api_token_revoke(user=user)
        self.stdout.write(f"{count} jeton(s) révoqué(s) pour {username}.")
