"""``samizdat spam check``: judge comments given as JSON lines, as a posted one is judged."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from samizdat.antispam import learning, pipeline
from samizdat.antispam.app_settings import app_settings
from samizdat.discussion.models import Comment

FIELDS = ("body", "author_name", "author_email", "author_url", "ip_address", "user_agent")


class Command(BaseCommand):
    help = "Run the spam checks on comments read as JSON lines from standard input."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "train",
            help="Rebuild the learned filter from every decision in the database.",
        )
        actions.add_parser(
            "check",
            help='Read {"body": ..., "author_name": ..., "author_email": ..., "author_url": ...} '
            "lines; print a verdict line for each.",
        )

    def handle(self, *args, action, **options):
        if action == "train":
            self.train()
        else:
            self.check()

    def train(self):
        result = learning.train()
        self.stdout.write(
            f"Trained on {result.spam} spam and {result.ham} approved comments "
            f"in {result.seconds:.1f} s."
            if result.trained
            else f"Not trained: {result.spam} spam and {result.ham} approved comments; "
            f"the filter needs at least {app_settings.MIN_EXAMPLES} of each. "
            "Until then it passes every comment."
        )

    def check(self):
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
                        # The learned filter's score; None while it has no model.
                        "score": comment.spam_score,
                        "reasons": decision.reasons,
                    }
                )
            )
        if failed:
            sys.exit(1)
