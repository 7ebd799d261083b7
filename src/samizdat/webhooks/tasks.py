"""Webhook deliveries, retried with backoff by the task queue."""

from samizdat.core.background import background_task

ATTEMPTS = 6  # after 30 s, 1, 2, 4 and 8 minutes


@background_task(attempts=ATTEMPTS, backoff=30)
def deliver(delivery_id: int) -> str:
    from samizdat.webhooks import services
    from samizdat.webhooks.models import Delivery

    attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first()
    return services.deliver(delivery_id, last_attempt=(attempts or 0) + 1 >= ATTEMPTS)
