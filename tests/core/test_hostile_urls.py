"""URL attributes: every one passes the scheme list, after what a browser skips."""

import pytest


@pytest.mark.parametrize(
    "html",
    [
        '<blockquote cite="javascript:alert(1)">q</blockquote>',
        '<q cite="vbscript:x">q</q>',
        '<a href="\u2028javascript:alert(1)">x</a>',
        '<a href="\u2029javascript:alert(1)">x</a>',
        '<a href="\x01 javascript:alert(1)">x</a>',
        '<a href="\ufeffJaVaScRiPt:alert(1)">x</a>',
    ],
)
def test_no_script_url_survives_in_any_url_attribute(html):
    from samizdat.core import markup

    for clean in (markup.sanitize_comment_html(html), markup.sanitize_post_html(html)):
        assert "script:" not in clean.lower(), clean
