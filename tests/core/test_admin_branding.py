"""The admin is the site's: its name, an h1 on the login page, and wrapping comments."""

import pytest
from lxml import html as lxml_html


@pytest.mark.django_db
def test_admin_login_has_an_h1_and_the_sites_name(client, settings):
    page = lxml_html.fromstring(client.get("/admin/login/").content)
    headings = page.xpath("//h1")
    assert len(headings) == 1
    assert headings[0].text_content().strip() == settings.SAMIZDAT_SITE_NAME
    assert "Django" not in page.findtext(".//title")


@pytest.mark.django_db
def test_admin_comment_column_wraps(client, staff, post, make_comment):
    make_comment(post, body="w" * 500)
    client.force_login(staff)
    page = lxml_html.fromstring(client.get("/admin/discussion/comment/").content)
    assert page.xpath("//link[contains(@href, 'samizdat/admin.css')]")
    assert page.xpath("//td//span[@class='comment-excerpt']")
    assert "Django administration" not in page.text_content()
