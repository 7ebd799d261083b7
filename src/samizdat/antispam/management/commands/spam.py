"""``samizdat spam check``: judge comments given as JSON lines, as a posted one is judged."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from samizdat.antispam import pipeline
from samizdat.discussion.models import Comment

FIELDS = ("body", "author_name", "author_email", "author_url", "ip_address", "user_agent")


class Command(BaseCommand):
    help = "Run the spam checks on comments read as JSON lines from standard input."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "check",
            help='Read {"body": ..., "author_name": ..., "author_email": ..., "author_url": ...} '
            "lines; print a verdict line for each.",
        )

    def handle(self, *args, action, **options):
        failed = 0
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                given = json.loads(line)
                if not isinstance(given, dict) or not isinstance(given.get("body"), str):
                    raise ValueError('each line must be a JSON object with a "body" string')
                comment = Comment(**{name: str(given.get(name) or "") for name in FIELDS})
                comment.ip_address = comment.ip_address or None
            except ValueError as error:  # json.JSONDecodeError is a ValueError
                failed += 1
                self.stdout.write(json.dumps({"line": number, "error": str(error)}))
                continue
            decision = pipeline.run(comment, {}, content_only=True)
            self.stdout.write(
                json.dumps(
                    {
                        "verdict": decision.verdict.name.lower(),
                        # The learned filter's score; None until it exists.
                        "score": None,
                        "reasons": decision.reasons,
                    }
                )
            )
        if failed:
            sys.exit(1)
