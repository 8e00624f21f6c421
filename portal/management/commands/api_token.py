"""`manage.py api_token USERNAME [--revoke]`: issue a personal API token, or revoke them all."""

from django.core.management.base import BaseCommand, CommandError

from portal.api.tokens import token_issue, tokens_revoke
from portal.errors import ActionRefused, NotFound


class Command(BaseCommand):
    help = (
        "Print a new API token for USERNAME (shown this once: only its hash is stored), "
        "or with --revoke delete every token the user has."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Delete the user's tokens instead.")

    def handle(self, *args, username, revoke, **options):
        try:
            if revoke:
                deleted = tokens_revoke(username=username)
                self.stdout.write(f"Revoked {deleted} token(s) of {username}.")
                return
            key = token_issue(username=username)
        except NotFound as error:
            raise CommandError(f"No user is called {username!r}.") from error
        except ActionRefused as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"A new token for {username}; it is shown only now. Send it as: Authorization: Token <key>")
        self.stdout.write(key)
