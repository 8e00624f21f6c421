from django.core.management.base import BaseCommand, CommandError

from complaints.open311.keys import open311_client_create, open311_client_revoke
from portal.errors import ActionRefused


class Command(BaseCommand):
    help = (
        "Issue an Open311 api_key to a client system and print it once (only its hash is kept), "
        "or revoke the system's key with --revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client system, e.g. 'FixMyStreet Beijing' (at most 50 characters).")
        parser.add_argument("--revoke", action="store_true", help="Revoke the named system's live key instead.")

    def handle(self, *args, name, revoke, **options):
        if revoke:
            count = open311_client_revoke(name=name)
            if not count:
                raise CommandError(f"No live Open311 key is named {name!r}.")
            self.stdout.write(f"Revoked {count} Open311 key(s) of {name!r}. Clients using it now get 403.")
            return
        try:
            _client, key = open311_client_create(name=name)
        except ActionRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Open311 api_key for {name!r} (shown this once; only its hash is stored):")
        self.stdout.write(key)
