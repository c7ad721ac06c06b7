"""The headers a browser gets under production settings: a Content Security Policy without inline
scripts (the admin editor's import map carries the nonce), HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, Permissions-Policy and X-Frame-Options: DENY."""

import re

import pytest


def _script_src(policy):
    directives = dict(
        part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip()
    )
    return directives["script-src"]


@pytest.mark.parametrize("address", ["/", "/tai-khoan/dang-nhap/", "/admin/login/"])
def test_a_page_carries_every_security_header(client, db, address):
    response = client.get(address, secure=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = _script_src(policy)
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_inline_script_runs_without_the_nonce(client_for, editor):
    """Every executable inline <script> in the admin editor carries the header's nonce."""
    response = client_for(editor).get("/admin/news/post/add/", secure=True)
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    executable = [attrs for attrs in inline if "application/json" not in attrs]
    assert executable, "the editor's import map is expected on this page"
    for attrs in executable:
        assert f'nonce="{nonce}"' in attrs, attrs
