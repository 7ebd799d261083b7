"""The demo site that ``samizdat demo`` puts into an empty database."""

from __future__ import annotations

import secrets
import warnings
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from samizdat.discussion.models import Comment, CommentStatus
from samizdat.publishing.models import Category, Page, Post, PostStatus, Source, Tag

ADMIN_USERNAME = "admin"
ESSAY_SLUG = "i-write-it-myself"

ESSAY = """\
*Samizdat*, "self-publishing", was the name Soviet readers gave to texts that \
no state press would print and that circulated anyway: typed with as many carbon \
copies as the machine could bite through, lent for a night, retyped by the \
borrower, and passed on. The word was a joke on *Gosizdat*, the State Publishing \
House, and like most good jokes it described a whole economy in one turn.

Vladimir Bukovsky put the economy in a sentence: I write it myself, edit it \
myself, censor it myself, publish it myself, distribute it myself, and spend \
jail time for it myself.[^bukovsky] Every role that a publisher normally \
divides among many hands fell to the reader. The reader *was* the press.

## Why it mattered who held the copy

The early Soviet state understood the press as an instrument before it \
understood it as a right. Within days of October 1917 the Decree on the Press \
closed the papers that opposed the new government, and it was presented as a \
temporary measure for an emergency.[^carr] Emergencies have a way of becoming \
arrangements. By the 1960s the arrangement was complete enough that a poem \
could exist for years with no printed copy anywhere, only typescripts in \
desk drawers.

What kept those texts alive was not a single heroic publisher but a \
*distribution*: many copies, held by many people, none of them indispensable. \
Ann Komaromi has shown how much the physical object mattered: the fifth carbon, \
barely legible; the onion-skin paper; the handwritten corrections that told you \
a text had passed through real hands.[^komaromi]

## The lesson for the web

We publish more freely than any samizdat typist could have imagined, and we \
have handed the copies back to a few large hosts. An essay on a hosted \
platform exists, for most purposes, in one place; its discussion often lives \
in yet another company's database. When a host changes its terms, the copies \
go with it.

The old lesson holds: keep your own copy, and make it easy for others to keep \
theirs. Publish at an address you control, with feeds that anyone can mirror \
and an export that any other tool can read. The conversation under an essay is \
part of the work; it deserves the same care.

[^bukovsky]: Bukovsky, *To Build a Castle*, describing the samizdat he helped \
circulate in the 1960s.
[^carr]: Carr's account of the first months of the new regime traces how quickly \
the emergency measures against the opposition press hardened.
[^komaromi]: Komaromi, "The Material Existence of Soviet Samizdat".
"""

SOURCES = [
    {
        "authors": "E. H. Carr",
        "title": "The Bolshevik Revolution 1917-1923, Volume One",
        "publisher": "Macmillan",
        "year": "1950",
        "pages": "129-135",
        "note": "Carr is sympathetic to the revolution's aims, which makes his plain record "
        "of how the opposition press was closed all the more telling.",
    },
    {
        "authors": "Vladimir Bukovsky",
        "title": "To Build a Castle: My Life as a Dissenter",
        "publisher": "Viking Press",
        "year": "1978",
        "note": "The source of the much-quoted definition of samizdat.",
    },
    {
        "authors": "Ann Komaromi",
        "title": "The Material Existence of Soviet Samizdat",
        "publisher": "Slavic Review 63, no. 3",
        "year": "2004",
        "pages": "597-618",
        "url": "https://doi.org/10.2307/1520346",
        "note": "On the typescript as an object: paper, carbons, and the marks of readers.",
    },
]

# (key, parent key, author name, email, website, text, status)
DISCUSSION = [
    (
        "anna",
        None,
        "Anna Petrova",
        "anna@example.org",
        "",
        "The point about *distribution* is the one people miss. A single brave publisher "
        "can be stopped; a thousand carbon copies cannot.",
        CommentStatus.APPROVED,
    ),
    (
        "tom",
        "anna",
        "Tom Whitaker",
        "tom@example.net",
        "https://example.net/tom",
        "True, but a thousand copies also meant a thousand slightly different texts. "
        "Typists corrected, cut, and sometimes improved.",
        CommentStatus.APPROVED,
    ),
    (
        "anna2",
        "tom",
        "Anna Petrova",
        "anna@example.org",
        "",
        "Which is Komaromi's argument too: the variants *are* the history of the text.",
        CommentStatus.APPROVED,
    ),
    (
        "leo",
        None,
        "Leo",
        "leo@example.com",
        "",
        "Is the Carr volume worth reading today, or has later archival work replaced it?",
        CommentStatus.APPROVED,
    ),
    (
        "mira",
        "leo",
        "Mira K.",
        "mira@example.org",
        "",
        "Still worth it for the structure of the argument. Read it alongside the later "
        "archival studies rather than instead of them.",
        CommentStatus.APPROVED,
    ),
    (
        "pending",
        None,
        "New Reader",
        "new.reader@example.com",
        "",
        "First time here. Does the export include the comments as well as the posts?",
        CommentStatus.PENDING,
    ),
]


def _admin_password_file():
    return settings.DATA_DIR / "demo-admin-password"


def demo_admin_login() -> tuple[str, str | None]:
    """Return the demo admin's username and, if this data dir made it, its password."""
    path = _admin_password_file()
    return ADMIN_USERNAME, path.read_text().strip() if path.exists() else None


@transaction.atomic
def create_demo_site() -> bool:
    """Fill an empty database with the demo site; return False if it holds posts already."""
    if Post.objects.exists() or Page.objects.exists():
        return False
    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        password = secrets.token_urlsafe(12)
        admin = User.objects.create_superuser(
            ADMIN_USERNAME, "admin@example.com", password, first_name="Vera", last_name="Samizdat"
        )
        path = _admin_password_file()
        path.write_text(password + "\n")
        path.chmod(0o600)

    now = timezone.now()
    history = Category.objects.create(name="History", slug="history")
    publishing = Category.objects.create(name="Publishing", slug="publishing")
    tags = [Tag.objects.create(name=name) for name in ("samizdat", "press freedom", "archives")]

    essay = Post.objects.create(
        title="I Write It Myself: What Samizdat Teaches Self-Publishers",
        slug=ESSAY_SLUG,
        body=ESSAY,
        author=admin,
        status=PostStatus.PUBLISHED,
        published_at=now - timedelta(days=3),
    )
    essay.categories.set([history, publishing])
    essay.tags.set(tags)
    for position, source in enumerate(SOURCES):
        Source.objects.create(post=essay, position=position, **source)

    comments: dict[str, Comment] = {}
    for offset, (key, parent, name, email, url, text, status) in enumerate(DISCUSSION):
        comments[key] = Comment.objects.create(
            post=essay,
            parent=comments.get(parent) if parent else None,
            author_name=name,
            author_email=email,
            author_url=url,
            body=text,
            status=status,
            created_at=now - timedelta(days=2) + timedelta(hours=offset * 3),
            ip_address="127.0.0.1",
        )

    closed = Post.objects.create(
        title="A Note on Carbon Paper",
        slug="a-note-on-carbon-paper",
        body=(
            "A good typist could make eight or ten legible copies at once on thin paper; "
            "the last of them was often the one that travelled farthest.\n\n"
            "Comments are closed on this note."
        ),
        author=admin,
        status=PostStatus.PUBLISHED,
        published_at=now - timedelta(days=10),
        comments_open=False,
    )
    closed.categories.set([history])

    Page.objects.create(
        title="About",
        slug="about",
        author=admin,
        body=(
            "This is a demo of **samizdat**, a self-hosted home for essays and their "
            "discussion.\n\nLog in to the [admin](/admin/) to write posts, add sources, "
            "and moderate comments."
        ),
    )
    return True


DEMO_PROVIDER_ID = "demo"


def demo_login_server(host: str = "127.0.0.1"):
    """Start a loopback OpenID Connect provider for the demo's "Demo account" button.

    Returns a context manager that runs it (oidc-provider-mock, a real OIDC server with
    PKCE, on a free port) and points the button at it, or None when the package is not
    installed. Its authorization page offers one predefined reader, "demo".
    """
    try:
        with warnings.catch_warnings():
            # Its dependencies' deprecation notices are not the site owner's business.
            # (authlib turns its own on when imported, so ignore them after that).
            import authlib.deprecate  # noqa: F401

            warnings.simplefilter("ignore", DeprecationWarning)
            from oidc_provider_mock import User, run_server_in_thread
    except ImportError:
        return None
    reader = User(
        sub="demo",
        claims={
            "name": "Demo Reader",
            "email": "demo.reader@example.org",
            "email_verified": True,
        },
    )
    return _registered(run_server_in_thread(user_claims=[reader]), host)


@contextmanager
def _registered(server_context, host: str):
    from allauth.socialaccount.models import SocialApp

    with server_context as server:
        register_demo_provider(f"http://{host}:{server.server_port}")
        try:
            yield server
        finally:
            # Its server is gone: no button may lead to it once the demo stops.
            SocialApp.objects.filter(
                provider="openid_connect", provider_id=DEMO_PROVIDER_ID
            ).delete()


def register_demo_provider(server_url: str) -> None:
    """Point the "Demo account" login button at the demo's OIDC server."""
    from allauth.socialaccount.models import SocialApp

    app, _created = SocialApp.objects.get_or_create(
        provider="openid_connect",
        provider_id=DEMO_PROVIDER_ID,
        defaults={"name": "Demo account", "client_id": "samizdat-demo"},
    )
    app.name = "Demo account"
    app.client_id = "samizdat-demo"
    app.secret = secrets.token_urlsafe(16)
    app.settings = {"server_url": server_url}
    app.save()
