from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.accounts.services import token_for


class Command(BaseCommand):
    help = "Print the API token of a user (Authorization: Token <key>)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        self.stdout.write(token_for(user))
