from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from samizdat.identity.providers.wordpress_com.provider import WordPressComProvider

urlpatterns = default_urlpatterns(WordPressComProvider)
