"""``samizdat worker``: run background tasks (mail, webhooks, training, scheduled posts)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from samizdat.core import background
from samizdat.core.management.commands.serve import die_with_parent


class Command(BaseCommand):
    help = "Run the background tasks: mail, webhooks, spam training, scheduled posts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty queue."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued now, then exit."
        )

    def handle(self, *args, interval: float, batch: bool, **options):
        from django_tasks_db.management.commands.db_worker import Worker

        die_with_parent("SAMIZDAT_WORKER_PARENT")
        running = True
        current = None

        def stop(signum, frame):
            # Finish the task being run, then leave.
            nonlocal running
            running = False
            if current is not None:
                current.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker_id = background.worker_id()
        last_upkeep = -1e9
        while running:
            if time.monotonic() - last_upkeep > 30:
                # Tasks a killed worker held go back in the queue; periodic ones are queued.
                background.recover()
                background.run_periodic()
                last_upkeep = time.monotonic()
            # django-tasks' own worker, until the queue is empty.
            current = Worker(
                queue_names=["*"],
                excluded_queue_names=[],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
            )
            current.run()
            close_old_connections()
            if batch:
                return
            if running:
                time.sleep(interval)
