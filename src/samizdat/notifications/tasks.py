"""The mail tasks, run by the worker and retried with backoff while the mail server is down."""

from __future__ import annotations

from django.core.mail import get_connection

from samizdat.core.background import background_task, enqueue_once


@background_task()
def send_confirmation(subscriber_id: int) -> str:
    from samizdat.notifications import services
    from samizdat.notifications.models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    message = services.confirmation_mail(subscriber) if subscriber else None
    if message is None:
        return "nothing to send"
    message.send()
    return "sent"


@background_task()
def send_manage_link(email: str) -> str:
    from samizdat.notifications import mail, services
    from samizdat.notifications.models import Subscriber

    subscriber = Subscriber.objects.filter(email=services.normalize(email)).first()
    if subscriber is None or not services.may_mail_link(subscriber):
        return "nothing to send"
    mail.build(
        subscriber.email,
        "Your subscriptions",
        "manage_link",
        {"link": services.manage_url(subscriber.email)},
    ).send()
    return "sent"


@background_task()
def send_data_link(email: str) -> str:
    from django.urls import reverse

    from samizdat.notifications import mail, services, tokens
    from samizdat.notifications.models import Subscriber

    subscriber = Subscriber.objects.filter(email=services.normalize(email)).first()
    if subscriber is None or not services.may_mail_link(subscriber):
        return "nothing to send"
    link = mail.absolute(
        reverse("notifications:data", args=[tokens.make("data", e=subscriber.email)])
    )
    mail.build(subscriber.email, "Your data on this site", "data_link", {"link": link}).send()
    return "sent"


@background_task()
def notify_subscribers(post_id: int) -> dict:
    from samizdat.notifications import services

    outcome = services.notify_subscribers(post_id)
    if outcome.next_run is not None:
        # Some were mailed within the batch interval: theirs go out together, then.
        enqueue_once(notify_subscribers, post_id, run_after=outcome.next_run)
    return {"sent": outcome.sent, "waiting": outcome.waiting}


@background_task()
def mail_staff(comment_id: int) -> int:
    from samizdat.notifications import services

    messages = list(services.staff_mails(comment_id))
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)


@background_task()
def announce_post(post_id: int) -> int:
    from samizdat.notifications import services
    from samizdat.publishing.models import Post

    post = Post.objects.filter(pk=post_id).first()
    return services.announce_post(post) if post is not None else 0
