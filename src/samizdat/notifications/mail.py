"""Building the mails: plain text and HTML parts, threading and unsubscribe headers."""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from samizdat.notifications.app_settings import app_settings


def absolute(path: str) -> str:
    return app_settings.SITE_URL + path


def thread_id(post) -> str:
    """The Message-ID every mail about one post answers, so mail clients thread them."""
    return f"<post-{post.pk}@{app_settings.DOMAIN}>"


def build(
    to: str,
    subject: str,
    template: str,
    context: dict,
    *,
    post=None,
    unsubscribe_url: str = "",
) -> EmailMultiAlternatives:
    """Render ``notifications/mail/<template>.txt`` and ``.html`` into one message."""
    context = {"site_name": settings.SAMIZDAT_SITE_NAME, "site_url": app_settings.SITE_URL,
               **context}  # fmt: skip
    headers = {"Message-ID": make_msgid(domain=app_settings.DOMAIN)}
    if post is not None:
        headers["In-Reply-To"] = headers["References"] = thread_id(post)
    if unsubscribe_url:
        # RFC 8058: the mail client's one "Unsubscribe" button POSTs to this address.
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " ")[:200],
        body=render_to_string(f"notifications/mail/{template}.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"notifications/mail/{template}.html", context), "text/html"
    )
    return message
