"""With DEBUG off, WhiteNoise serves hashed, compressed static files with far-future caching."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings


@pytest.mark.django_db
def test_hashed_static_files_get_far_future_cache_headers(tmp_path, settings):
    production_storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=production_storages,
        DEBUG=False,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = staticfiles_storage.url("css/portal.css")
        assert url != "/static/css/portal.css"  # a content hash is in the name
        assert (tmp_path / url.removeprefix("/static/")).with_suffix(".css.gz").exists()
        client = Client()
        page = client.get("/")
        assert url in page.content.decode()
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert response["Content-Encoding"] == "gzip"
        unhashed = client.get("/static/css/portal.css")
        assert unhashed.status_code == 200
        assert "immutable" not in unhashed["Cache-Control"]
