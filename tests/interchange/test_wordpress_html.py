"""WordPress bodies render as WordPress shows them, then are sanitized."""

from samizdat.core.wordpress import expand_shortcodes, render_wordpress, wpautop
from samizdat.publishing.models import BodyFormat, render_body


def test_wpautop_paragraphs_and_breaks():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"


def test_wpautop_leaves_blocks_and_pre():
    html = wpautop("<ul>\n<li>a</li>\n</ul>\n\n<pre>x\n\ny</pre>\n\nend")
    assert "<p><ul>" not in html and "<pre>x\n\ny</pre>" in html and "<p>end</p>" in html


def test_block_comments_are_stripped():
    html = render_wordpress("<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->")
    assert html.strip() == "<p>Hi</p>"


def test_caption_becomes_figure():
    html = expand_shortcodes('[caption id="x" width="300"]<img src="a.jpg" alt=""> A cat[/caption]')
    assert html == '<figure><img src="a.jpg" alt=""><figcaption>A cat</figcaption></figure>'


def test_media_shortcodes_become_links():
    assert '<a href="https://v.example/x.mp4">Video: https://v.example/x.mp4</a>' in (
        expand_shortcodes('[video mp4="https://v.example/x.mp4"][/video]')
    )
    assert '<a href="https://youtu.be/abc">' in expand_shortcodes(
        "[embed]https://youtu.be/abc[/embed]"
    )
    gallery = expand_shortcodes(
        '[gallery ids="7"]', [{"id": "7", "url": "https://m/7.jpg", "title": "Seven"}]
    )
    assert gallery == '<ul><li><a href="https://m/7.jpg">Seven</a></li></ul>'


def test_unknown_shortcodes_stay_as_text():
    assert "[contact-form-7 id=&quot;1&quot;]" in render_body(
        '[contact-form-7 id="1"]', BodyFormat.WORDPRESS
    ) or '[contact-form-7 id="1"]' in render_body('[contact-form-7 id="1"]', BodyFormat.WORDPRESS)


def test_wordpress_body_is_sanitized():
    html = render_body('<p onclick="x()">Hi</p><script>alert(1)</script>', BodyFormat.WORDPRESS)
    assert "onclick" not in html and "<script" not in html and "Hi" in html
