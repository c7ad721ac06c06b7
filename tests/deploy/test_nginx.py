"""deploy/nginx/congdoan.conf in a real nginx in front of the portal (issue #10).

The site file is rendered into a scratch configuration by plain text substitutions that fail when
the expected text is missing (so this test breaks when the file changes shape): loopback ports for
80/443, a self-signed certificate for Let's Encrypt's, the port of a live server for gunicorn's
and tmp folders for /srv/congdoan/. ``nginx -t`` must accept it; then, over HTTPS to nginx, the
portal behind it sends private files by X-Accel-Redirect from the ``internal`` location, nginx
serves public media with its headers, refuses bodies above 55 MB and passes the forwarded headers
the portal trusts. Skipped only when nginx is not installed.

``NGINX_TEST_PORTS=8350-8359`` takes the ports from that range (default: any free ones).
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.http import content_disposition_header

from audit.models import AccessEvent
from tests.factories import MemberFactory, UserFactory
from tests.welfare.test_requests import PDF_BYTES, attach, download, make_request

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "congdoan.conf"
HOST = "congdoan.example.gov.vn"
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
    None,
)
# A client address other than nginx's own (127.0.0.1), to tell X-Real-IP/X-Forwarded-For from
# REMOTE_ADDR; Linux answers on all of 127.0.0.0/8.
CLIENT_ADDRESS = "127.0.0.2"
SPOOFED = "203.0.113.9"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def replace(text, old, new):
    """``text`` with the one ``old`` replaced; the site file changed shape if it is not there."""
    found = text.count(old)
    assert found == 1, f"{SITE.name}: expected {old!r} once, found it {found} times"
    return text.replace(old, new)


def free(port):
    # Without SO_REUSEADDR, as Django's live server binds: a port in TIME_WAIT is not free.
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True


def ports():
    """Three free loopback ports: from NGINX_TEST_PORTS (e.g. 8350-8359), or any."""
    wanted = os.environ.get("NGINX_TEST_PORTS", "")
    if not wanted:
        sockets = [socket.socket() for _ in range(3)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        found = [sock.getsockname()[1] for sock in sockets]
        for sock in sockets:
            sock.close()
        return found
    first, _, last = wanted.partition("-")
    found = [port for port in range(int(first), int(last or first) + 1) if free(port)][:3]
    assert len(found) == 3, f"NGINX_TEST_PORTS={wanted}: fewer than 3 free ports"
    return found


def ipv6():
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def render(*, scratch, http_port, https_port, portal_port, media, private, cert, key):
    site = SITE.read_text(encoding="utf-8")
    site = replace(site, "server 127.0.0.1:8000 ", f"server 127.0.0.1:{portal_port} ")
    site = replace(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replace(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    v6 = ipv6()
    site = replace(site, "listen [::]:80;", f"listen [::1]:{http_port};" if v6 else "")
    site = replace(
        site, "listen [::]:443 ssl http2;", f"listen [::1]:{https_port} ssl http2;" if v6 else ""
    )
    site = replace(site, f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(cert))
    site = replace(site, f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(key))
    site = replace(site, "root /var/www/letsencrypt;", f"root {scratch / 'acme'};")
    site = replace(site, "alias /srv/congdoan/media/;", f"alias {media}/;")
    site = replace(site, "alias /srv/congdoan/private_media/;", f"alias {private}/;")
    site = replace(site, "/var/log/nginx/congdoan.access.log", str(scratch / "access.log"))
    site = replace(site, "/var/log/nginx/congdoan.error.log", str(scratch / "error.log"))
    directives = "\n".join(line.split("#")[0] for line in site.splitlines())
    for production_path in ("/srv/", "/etc/letsencrypt", "/var/"):
        assert production_path not in directives, f"{SITE.name}: a new path to replace here"
    temp = "\n".join(
        f"    {kind}_temp_path {scratch / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, the workers would run as "nobody", who cannot enter pytest's 0700 tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
pid {scratch / "nginx.pid"};
error_log {scratch / "error.log"};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {scratch / "access.log"};
{temp}
{site}
}}
"""


class Connection(http.client.HTTPSConnection):
    """HTTPS to nginx on a loopback port, verifying the certificate for HOST (SNI included)."""

    def connect(self):
        super(http.client.HTTPSConnection, self).connect()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=HOST)


def source_address():
    try:
        with socket.socket() as sock:
            sock.bind((CLIENT_ADDRESS, 0))
    except OSError:
        return None
    return (CLIENT_ADDRESS, 0)


def wait_for(port, process, scratch):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped: {(scratch / 'error.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx does not answer on {port}")


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_portal_with_the_production_site_file(tmp_path, settings, member):
    from pytest_django.live_server_helper import LiveServer

    http_port, https_port, portal_port = ports()
    scratch = tmp_path / "nginx"
    (scratch / "acme" / ".well-known" / "acme-challenge").mkdir(parents=True)
    (scratch / "acme" / ".well-known" / "acme-challenge" / "token").write_bytes(b"proof")
    media = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "so-do.svg").write_bytes(SVG)
    private.mkdir(parents=True)
    cert, key = scratch / "cert.pem", scratch / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    config = scratch / "nginx.conf"
    config.write_text(
        render(
            scratch=scratch,
            http_port=http_port,
            https_port=https_port,
            portal_port=portal_port,
            media=media,
            private=private,
            cert=cert,
            key=key,
        )
    )
    nginx = [NGINX, "-p", str(scratch), "-c", str(config), "-e", str(scratch / "error.log")]
    checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    # From nginx 1.25 "listen ... http2" is deprecated (the site file says so); nothing else.
    warnings = [line for line in checked.stderr.splitlines() if "[warn]" in line]
    assert [line for line in warnings if "http2" not in line] == [], checked.stderr

    # The portal as in production behind nginx: https only, one trusted proxy, X-Accel-Redirect.
    settings.ALLOWED_HOSTS = [HOST, "127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = 1
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX = "/_private/"
    name = "Giấy ra viện.pdf"
    document = attach(make_request(member.member), name=name)
    other = UserFactory(username="dongnghiep_test")
    MemberFactory(user=other, branch=member.member.branch, full_name="Lê Văn Đồng Nghiệp")

    def cookie(user):
        client = Client()
        client.force_login(user)
        cookie_name = django_settings.SESSION_COOKIE_NAME
        return f"{cookie_name}={client.cookies[cookie_name].value}"

    mine, others = cookie(member), cookie(other)
    context = ssl.create_default_context(cafile=str(cert))

    def https(path, *, method="GET", headers=(), body=None, source=None):
        connection = Connection("127.0.0.1", https_port, context=context, timeout=10)
        if source:
            connection.source_address = source
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **dict(headers)})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def plain(port, path, headers=()):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": HOST, **dict(headers)})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    server = LiveServer(f"127.0.0.1:{portal_port}")
    process = None
    try:
        process = subprocess.Popen(nginx, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(https_port, process, scratch)
        url = download(document.pk)

        # 1. Plain http goes to https, except Let's Encrypt's challenge.
        response, _ = plain(http_port, url)
        assert response.status == 301
        assert response.getheader("Location") == f"https://{HOST}{url}"
        response, body = plain(http_port, "/.well-known/acme-challenge/token")
        assert (response.status, body) == (200, b"proof")

        # The portal alone answers with an empty body and X-Accel-Redirect for nginx ...
        response, body = plain(portal_port, url, {"Cookie": mine, "X-Forwarded-Proto": "https"})
        assert (response.status, body) == (200, b"")
        assert response.getheader("X-Accel-Redirect") == f"/_private/{document.file.name}"
        # ... and sends plain http to https: SECURE_SSL_REDIRECT is on.
        response, _ = plain(portal_port, url)
        assert response.status == 301
        assert response.getheader("Location") == f"https://{HOST}{url}"

        # 2. Through nginx the member gets the file itself, sent by nginx from /_private/, with
        # the view's headers; X-Forwarded-Proto from nginx keeps the portal from redirecting.
        source = source_address()
        response, body = https(
            url, headers={"Cookie": mine, "X-Forwarded-For": SPOOFED}, source=source
        )
        assert response.status == 200
        assert body == PDF_BYTES
        assert response.getheader("Server") == "nginx"
        assert response.getheader("X-Accel-Redirect") is None
        assert response.getheader("Content-Type") == "application/pdf"
        assert response.getheader("Content-Length") == str(len(PDF_BYTES))
        assert response.getheader("Content-Disposition") == content_disposition_header(True, name)
        assert response.getheader("Cache-Control") == "private, no-store"
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"
        # 7. The audit log has the client's address as nginx saw it, not the spoofed first hop.
        event = AccessEvent.objects.order_by("-pk").first()
        assert event.action == AccessEvent.Action.DOWNLOAD_ATTACHMENT
        assert event.ip_address == (source[0] if source else "127.0.0.1")
        # With two trusted hops the portal would believe the header the client sent: it arrives
        # with exactly nginx's hop added.
        settings.TRUSTED_PROXIES = 2
        https(url, headers={"Cookie": mine, "X-Forwarded-For": SPOOFED})
        latest = AccessEvent.objects.order_by("-pk").first()
        assert latest.ip_address == SPOOFED
        settings.TRUSTED_PROXIES = 1

        # 3. Nobody reaches the internal location by asking for it.
        for path in (f"/_private/{document.file.name}", f"/media/../_private/{document.file.name}"):
            response, body = https(path, headers={"Cookie": mine})
            assert response.status == 404, path
            assert PDF_BYTES not in body

        # 4. The portal's checks still decide: another member gets 404, a visitor the sign-in.
        response, body = https(url, headers={"Cookie": others})
        assert response.status == 404 and PDF_BYTES not in body
        response, _ = https(url)
        assert response.status == 302
        assert response.getheader("Location").startswith("/tai-khoan/dang-nhap/?next=")

        # 5. Public media come from nginx, as data only.
        response, body = https("/media/documents/so-do.svg")
        assert (response.status, body) == (200, SVG)
        assert response.getheader("Server") == "nginx"
        assert response.getheader("Content-Type") == "image/svg+xml"
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("Content-Security-Policy") == (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        assert response.getheader("Cache-Control") == "public, max-age=86400"
        response, _ = https("/media/documents/")
        assert response.status == 403  # no listing

        # 6. A body above client_max_body_size is refused from its Content-Length alone ...
        response, body = https(
            "/doan-vien/de-nghi-ho-tro/moi/",
            method="POST",
            headers={"Cookie": mine, "Content-Length": str(56 * 1024 * 1024)},
            body=b"x",
        )
        assert response.status == 413
        # ... while one above nginx's default 1 MB reaches the portal (here its CSRF check).
        response, body = https(
            "/doan-vien/de-nghi-ho-tro/moi/",
            method="POST",
            headers={"Cookie": mine, "Content-Type": "application/octet-stream"},
            body=b"x" * (2 * 1024 * 1024),
        )
        assert response.status == 403
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        server.stop()
