"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, cache, queue).

JSON, a few milliseconds, never cached. A load balancer sends traffic to a machine
while ``/readyz`` answers 200; systemd's watchdog or a container runtime restarts a
process whose ``/healthz`` stops answering.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness: this process answers. Touches nothing else."""
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure is the answer here, not a 500
        return {"status": "down", "error": f"{type(error).__name__}: {str(error)[:200]}"}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def _cache() -> dict:
    backend = caches["default"]
    try:
        backend.set("samizdat:readyz", "1", 10)
        ok = backend.get("samizdat:readyz") == "1"
    except Exception as error:
        return {"status": "down", "error": f"{type(error).__name__}: {str(error)[:200]}",
                "effect": "pages are served without the cache"}  # fmt: skip
    return {"status": "ok" if ok else "down", "backend": type(backend).__name__}


def _queue() -> dict:
    try:
        from django_tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        now = timezone.now()
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        due = ready.filter(run_after__lte=now) | ready.filter(run_after=get_date_max())
        oldest = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(hours=1)
        ).count()
        return {
            "status": "ok",
            "waiting": due.count(),
            "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
            "failed_last_hour": failed,
        }
    except Exception as error:
        return {"status": "unknown", "error": f"{type(error).__name__}: {str(error)[:200]}"}


@never_cache
def readyz(request):
    """Readiness: 200 while the database answers; the cache and queue are reported."""
    database = _database()
    body = {"database": database, "cache": _cache()}
    if database["status"] == "ok":
        body["queue"] = _queue()
    ready = database["status"] == "ok"
    body["status"] = "ok" if ready and body["cache"]["status"] == "ok" else (
        "degraded" if ready else "down"
    )  # fmt: skip
    return JsonResponse(body, status=200 if ready else 503)


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before anything checks the Host header.

    Probes come by address (``10.0.0.5:8000``, ``127.0.0.1``) or with no Host at all
    (HAProxy's HTTP/1.0 check), and over plain HTTP behind TLS: Django's host check
    would answer 400 and the HTTPS redirect 301, and the site would look down.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = {"/healthz": healthz, "/readyz": readyz}

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
