"""Create (or reuse) the API account of a hospital software and print its token."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from patients import roles


class Command(BaseCommand):
    help = "Crée le compte API d'un logiciel (rôle « Intégration DPI » par défaut) et affiche son jeton."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", default=roles.DPI, choices=list(roles.ROLE_PERMISSIONS))
        parser.add_argument("--rotate", action="store_true", help="Remplace le jeton existant.")

    @transaction.atomic
    def handle(self, *args: Any, username: str, role: str, rotate: bool, **options: Any) -> None:
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as exc:
            raise CommandError(f"Le groupe « {role} » n'existe pas : lancez d'abord manage.py migrate.") from exc
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            # A software account signs in with its token only, never with a password.
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
