#!/usr/bin/env python
"""Proof that two application servers can serve the portal side by side (issue #10, first part).

    python scripts/two_instances.py [--database NAME] [--postgres URL] [--redis-url URL]
                                    [--ports A,B] [--keep]

What it does, the production way (gunicorn, ``DEBUG=0``, ``gunicorn.conf.py``, collected static
files served by WhiteNoise, one PostgreSQL database and one Redis shared by both):

1. drops and creates its own PostgreSQL database (``portal_two_instances`` by default; the name
   must contain ``two`` so a real database is never dropped), migrates it and loads the demo data
   with a random password (``doanvien`` a member, ``canbo_cs`` the officer of their union,
   ``truongban`` the chief editor);
2. collects the static files into a temporary ``STATIC_ROOT`` and starts two gunicorn instances,
   A and B, on two loopback ports with the same ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``
   (a Redis database other than 0 and a ``CACHE_KEY_PREFIX`` of its own);
3. proves with plain HTTP, one cookie jar per person:
   (a) the member signed in on A is signed in on B with the same cookie;
   (b) a post the chief editor publishes through A's admin is on B's news list at once, although
       B's anonymous page cache held the list before;
   (c) a support request the member files through A is in the officer's queue on B;
   (d) after A is stopped (SIGTERM), B still serves the member's session and the request;
4. prints each step with PASS or FAIL, then stops the servers, drops the database and deletes its
   Redis keys. The exit status is 0 only when every step passed.

For the script only, three production settings are off because it speaks plain HTTP on loopback
without a person at an authenticator app: ``OTP_REQUIRED=0`` (no two-step sign-in for the chief
editor and the officer), ``SECURE_SSL_REDIRECT=0`` and secure-only cookies off
(``SESSION_COOKIE_SECURE=0``, ``CSRF_COOKIE_SECURE=0``). Everything else is as in production.
"""

import argparse
import contextlib
import datetime
import html
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MEMBER, OFFICER, CHIEF_EDITOR = "doanvien", "canbo_cs", "truongban"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Variables of the caller's environment that would change what the two instances run.
CLEARED = (
    "DJANGO_SETTINGS_MODULE",
    "CACHE_URL",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "GUNICORN_BIND",
)


CACHE_BACKEND_CODE = (
    "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
)


class StepFailed(Exception):
    pass


# --- HTTP, one cookie jar per person -------------------------------------------------------------


class Person:
    """A browser reduced to what the proof needs: cookies, no redirects followed."""

    def __init__(self, name):
        self.name = name
        self.cookies = {}

    def request(self, base, path, *, data=None, files=None, headers=None):
        parts = urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = dict(headers or {})
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            body = multipart(data or {}, files, boundary)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        method = "GET" if body is None else "POST"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response.status, text, response.headers

    def get(self, base, path):
        return self.request(base, path)

    def post(self, base, path, data, files=None):
        return self.request(base, path, data=data, files=files)

    def sign_in(self, base, username, password):
        status, page, _headers = self.get(base, "/tai-khoan/dang-nhap/")
        check(status == 200, f"sign-in page answered {status}")
        data = {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page)}
        status, _page, _headers = self.post(base, "/tai-khoan/dang-nhap/", data)
        check(status == 302, f"{username} could not sign in on {base} (status {status})")
        check("sessionid" in self.cookies, f"{username} got no session cookie")


def multipart(fields, files, boundary):
    lines = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            str(value).encode(),
        ]
    for name, (filename, content, content_type) in files.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'.encode(),
            f"Content-Type: {content_type}".encode(),
            b"",
            content,
        ]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines)


def csrf(page):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(match is not None, "no CSRF token on the page")
    return match.group(1)


class FormFields(HTMLParser):
    """The fields of the first POST form that has a field named ``marker``, with their values as a
    browser would send them untouched (checked boxes, selected options, text areas)."""

    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms = []
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"fields": {}, "options": {}}
            self.forms.append(self.current)
        if self.current is None:
            return
        fields = self.current["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
            fields.setdefault(name, "")
            self.current["options"][name] = []
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.current["options"][self.select].append(value)
            if "selected" in attrs:
                fields[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current["fields"][self.textarea] += data

    @classmethod
    def of(cls, page, marker):
        parser = cls(marker)
        parser.feed(page)
        for form in parser.forms:
            if marker in form["fields"]:
                return form["fields"], form["options"]
        raise StepFailed(f"no form with a field {marker!r} on the page")


# --- Steps ---------------------------------------------------------------------------------------


def production_env(work, **settings):
    """The environment of a portal served the production way from the folder ``work``, with
    ``settings`` on top: this process's environment less what it must not inherit."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PAGE_CACHE_SECONDS": "60",
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "PRIVATE_MEDIA_ROOT": str(work / "private_media"),
            "EMAIL_URL": "consolemail://",
            # Plain HTTP on loopback and nobody at an authenticator app (see the docstring).
            "OTP_REQUIRED": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    return env


def publish_through_admin(editor, base, title, lead, body):
    """The signed-in chief editor writes a post and publishes it at once through the admin."""
    status, page, _ = editor.get(base, "/admin/news/post/add/")
    check(status == 200, f"the admin's add page at {base} answered {status}")
    fields, options = FormFields.of(page, "title")
    fields.update(
        {
            "title": title,
            "category": next(v for v in options["category"] if v),
            "lead": lead,
            "body": body,
            "byline": "Ban Biên tập",
            "_publish": "1",
        }
    )
    status, page, _ = editor.post(base, "/admin/news/post/add/", fields)
    check(status == 302, f"the admin at {base} did not save the post (status {status})")


def check(condition, message):
    if not condition:
        raise StepFailed(message)


class Report:
    def __init__(self):
        self.failures = 0

    @contextlib.contextmanager
    def step(self, title):
        try:
            yield
        except StepFailed as exc:
            self.failures += 1
            print(f"FAIL {title}: {exc}", flush=True)
        except Exception as exc:  # any error is this step's failure
            self.failures += 1
            print(f"FAIL {title}: {type(exc).__name__}: {exc}", flush=True)
        else:
            print(f"PASS {title}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, env):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise StepFailed(f"{' '.join(command[1:])} exited with {result.returncode}")
    return result.stdout


class Instance:
    def __init__(self, name, port, env, log_dir):
        self.name = name
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = Path(log_dir) / f"gunicorn-{name}.log"
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        self.process = None

    def start(self):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            check(self.process.poll() is None, f"gunicorn {self.name} exited: {self.tail()}")
            with contextlib.suppress(OSError):
                status, _body, _headers = Person("probe").get(self.base, "/healthz")
                if status == 200:
                    return
            time.sleep(0.2)
        raise StepFailed(f"instance {self.name} did not answer /healthz: {self.tail()}")

    def stop(self):
        """SIGTERM, as systemd stops a service: gunicorn finishes its requests and exits."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def tail(self):
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-2000:]
        return ""


def postgres_admin(server_url):
    import psycopg2

    parts = urlsplit(server_url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def recreate_database(server_url, name, drop_only=False):
    from psycopg2 import sql

    connection = postgres_admin(server_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if not drop_only:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_two_instances")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TWO_INSTANCES_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a role that may create databases), without a database name",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TWO_INSTANCES_REDIS_URL", "redis://127.0.0.1:6379/9"),
        help="Redis shared by both instances (not database 0; only this run's keys are deleted)",
    )
    parser.add_argument("--ports", help="two loopback ports, e.g. 8300,8301 (default: free ones)")
    parser.add_argument("--keep", action="store_true", help="keep the database (for a look after)")
    args = parser.parse_args(argv)

    if "two" not in args.database:
        parser.error("--database must contain 'two': the script drops that database")
    if urlsplit(args.redis_url).path.strip("/") in {"", "0"}:
        parser.error("--redis-url must name a Redis database other than 0")
    ports = [int(p) for p in args.ports.split(",")] if args.ports else [free_port(), free_port()]
    if len(ports) != 2 or ports[0] == ports[1]:
        parser.error("--ports needs two different ports")

    import redis

    prefix = f"two-instances-{secrets.token_hex(4)}"
    redis_client = redis.Redis.from_url(args.redis_url)
    work = Path(tempfile.mkdtemp(prefix="two-instances-"))
    password = secrets.token_urlsafe(16)
    database_url = f"{args.postgres.rstrip('/')}/{args.database}"
    env = production_env(
        work,
        DATABASE_URL=database_url,
        REDIS_URL=args.redis_url,
        CACHE_KEY_PREFIX=prefix,
        GUNICORN_WORKERS="2",
    )
    report = Report()
    instances = [Instance(name, port, env, work) for name, port in zip("AB", ports, strict=True)]
    a, b = instances
    print(
        f"Two instances: A {a.base}, B {b.base}; database {args.database}; "
        f"Redis {args.redis_url} (prefix {prefix})",
        flush=True,
    )
    ready = False
    try:
        with report.step("setup: database, migrations, demo data, collectstatic"):
            recreate_database(args.postgres, args.database)
            run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
            run([PYTHON, "manage.py", "load_demo", "--password", password], env)
            run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
            backend = run(
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    CACHE_BACKEND_CODE,
                ],
                env,
            ).split()[-1]
            check(
                backend == "django.core.cache.backends.redis.RedisCache",
                f"the cache backend is {backend}, not Redis",
            )
            ready = True
        if not ready:
            return 1
        with report.step("both instances answer /healthz (gunicorn, DEBUG=0, RedisCache)"):
            for instance in instances:
                instance.start()
            for instance in instances:
                instance.wait_ready()
            for instance in instances:
                status, _page, _headers = Person("probe").get(
                    instance.base, "/static/css/portal.css"
                )
                check(status == 200, f"{instance.name} /static/css/portal.css answered {status}")

        member, officer, chief, visitor = (
            Person(n) for n in ("member", "officer", "chief", "visitor")
        )

        with report.step("(a) the member signed in on A is signed in on B with the same cookie"):
            member.sign_in(a.base, MEMBER, password)
            status, _page, _ = member.get(a.base, "/doan-vien/")
            check(status == 200, f"A /doan-vien/ answered {status}")
            status, page_b, _ = member.get(b.base, "/doan-vien/")
            check(status == 200, f"B /doan-vien/ answered {status} to A's session cookie")
            check("Đỗ Hoài Nam" in html.unescape(page_b), "B's member page lacks the member's name")
            status, _page, headers = Person("anonymous").get(b.base, "/doan-vien/")
            check(status == 302, f"B /doan-vien/ without the cookie answered {status}, not 302")

        title = f"Tin thử hai máy chủ {secrets.token_hex(3)}"
        with report.step("(b) a post published through A's admin is at once on B's /tin-tuc/"):
            visitor.get(b.base, "/tin-tuc/")
            status, page, headers = visitor.get(b.base, "/tin-tuc/")
            check(status == 200, f"B /tin-tuc/ answered {status}")
            cached_before = headers.get("X-Page-Cache", "(no header)")
            check(title not in page, "the post is there before it was written")
            chief.sign_in(a.base, CHIEF_EDITOR, password)
            publish_through_admin(
                chief,
                a.base,
                title,
                lead="Bài viết đăng qua máy chủ A, đọc trên máy chủ B.",
                body="<p>Hai máy chủ ứng dụng dùng chung cơ sở dữ liệu và Redis.</p>",
            )
            status, page, headers = visitor.get(b.base, "/tin-tuc/")
            check(status == 200, f"B /tin-tuc/ answered {status}")
            check(title in html.unescape(page), "B's news list does not show the new post")
            print(
                f"     B /tin-tuc/ page cache before: {cached_before}; "
                f"after: {headers.get('X-Page-Cache', '(no header)')}",
                flush=True,
            )

        description = f"Đề nghị thử hai máy chủ {secrets.token_hex(3)}: ốm đau, nằm viện 5 ngày."
        request_path = None
        with report.step("(c) a support request filed through A is in the officer's queue on B"):
            status, page, _ = member.get(a.base, "/doan-vien/de-nghi-ho-tro/moi/")
            check(status == 200, f"A's request form answered {status}")
            yesterday = datetime.date.today() - datetime.timedelta(days=1)
            data = {
                "csrfmiddlewaretoken": csrf(page),
                "kind": "sickness",
                "happened_on": yesterday.strftime("%d/%m/%Y"),
                "description": description,
                "amount_requested_vnd": "2.000.000",
                "consent": "on",
            }
            files = {"attachments": ("giay-ra-vien.pdf", PDF_BYTES, "application/pdf")}
            status, page, headers = member.post(
                a.base, "/doan-vien/de-nghi-ho-tro/moi/", data, files
            )
            check(status == 302, f"A did not accept the request (status {status})")
            match = re.fullmatch(r".*/doan-vien/de-nghi-ho-tro/(\d+)/", headers.get("Location", ""))
            check(match is not None, f"unexpected redirect {headers.get('Location')!r}")
            pk = match.group(1)
            request_path = f"/can-bo/de-nghi/{pk}/"
            officer.sign_in(b.base, OFFICER, password)
            status, page, _ = officer.get(b.base, "/can-bo/de-nghi/")
            check(status == 200, f"B /can-bo/de-nghi/ answered {status}")
            check(
                f'href="{request_path}"' in page, "the request is not in the officer's queue on B"
            )
            status, page, _ = officer.get(b.base, request_path)
            check(status == 200, f"B {request_path} answered {status}")
            check(description in html.unescape(page), "B's request page lacks the description")

        with report.step("(d) A stopped with SIGTERM: B still serves the session and the request"):
            a.stop()
            check(a.process.returncode is not None, "A did not stop")
            with contextlib.suppress(OSError):
                Person("probe").get(a.base, "/healthz")
                raise StepFailed("A still answers after SIGTERM")
            status, page, _ = member.get(b.base, "/doan-vien/de-nghi-ho-tro/")
            check(status == 200, f"B /doan-vien/de-nghi-ho-tro/ answered {status} to the member")
            check(request_path is not None, "step (c) filed no request")
            status, page, _ = member.get(
                b.base, request_path.replace("/can-bo/de-nghi/", "/doan-vien/de-nghi-ho-tro/")
            )
            check(status == 200, f"the member's request page on B answered {status}")
            check(description in html.unescape(page), "the member's request page lacks the text")
            status, page, _ = officer.get(b.base, request_path)
            check(status == 200 and description in html.unescape(page), "the officer lost it on B")
            status, page, _ = visitor.get(b.base, "/tin-tuc/")
            check(title in html.unescape(page), "the post is gone from B")
    finally:
        for instance in instances:
            instance.stop()
        if report.failures:
            for instance in instances:
                print(f"--- last lines of gunicorn {instance.name} ---\n{instance.tail()}")
        keys = list(redis_client.scan_iter(match=f"{prefix}:*"))
        if keys:
            redis_client.delete(*keys)
        if not args.keep:
            with contextlib.suppress(Exception):
                recreate_database(args.postgres, args.database, drop_only=True)
        subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607
        print(
            f"cleaned up: servers stopped, {len(keys)} Redis keys deleted, "
            f"database {'kept' if args.keep else 'dropped'}",
            flush=True,
        )
    print("ALL PASSED" if not report.failures else f"{report.failures} STEP(S) FAILED", flush=True)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
