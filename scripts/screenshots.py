"""Screenshots of the portal's main pages at desktop and phone widths, for the README.

`make screenshots` runs this script. It builds a throwaway SQLite database with the demo data in a
temporary folder (migrate, then `load_demo --password congdoan2020`), serves the portal on a free
local port with Django's development server (DEBUG=1), signs in through the sign-in form as the
demo account each page needs, and writes `docs/screenshots/<page>-desktop.png` (1280 px wide, at
most one and a half screens tall) and `docs/screenshots/<page>-phone.png` (375 x 812). The PNGs are
reduced to a 256-colour palette so each stays small. It also checks that no page scrolls sideways
on a phone, and fails if one does.

Needs Playwright for Python (in the dev requirements) and Debian's Chromium at /usr/bin/chromium
(`CHROMIUM=/path` to use another); nothing is downloaded.

    python scripts/screenshots.py [--output docs/screenshots] [--only home,post]
                                  [--base-url http://127.0.0.1:8000]  # use a portal already running
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "congdoan2020"  # noqa: S105 (the demo accounts' documented password)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# A desktop shot shows at most this many screens of the page.
MAX_SCREENS = 1.5
SEED_POST = "/tin-tuc/cong-doan-bo-noi-vu-so-ket-cong-tac-6-thang-dau-nam-2020/"


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    account: str = ""  # the demo account to sign in as; empty for a visitor
    full_desktop: bool = True  # up to MAX_SCREENS tall at desktop width, else one screen


def review_path(page, base_url):
    """The half-year review of the root branch: the form opens on the top of the officer's scope."""
    page.goto(base_url + "/can-bo/bao-cao/")
    root = page.locator("select[name=branch]").input_value()
    return f"/can-bo/bao-cao/?preset=h1&year=2020&branch={root}"


def post_editor_path(page, base_url):
    """The admin's change form of the seed article, found through the admin's own list."""
    page.goto(base_url + "/admin/news/post/?q=so+ket+cong+tac")
    return page.locator("#result_list tbody tr a").first.get_attribute("href")


SHOTS = [
    Shot("home", "/"),
    Shot("news", "/tin-tuc/"),
    Shot("post", SEED_POST),
    Shot("search", "/tim-kiem/?q=cong+doan+co+so"),
    Shot("sign-in", "/tai-khoan/dang-nhap/", full_desktop=False),
    Shot("member-area", "/doan-vien/", account="doanvien"),
    Shot("officer-dashboard", "/can-bo/", account="canbo"),
    Shot("member-list", "/can-bo/doan-vien/", account="canbo"),
    Shot("aid-list", "/can-bo/ho-tro/", account="canbo"),
    Shot("review", "review", account="canbo"),
    Shot("post-editor", "post-editor", account="bientap"),
]
PATH_FINDERS = {"review": review_path, "post-editor": post_editor_path}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(
                f"screenshots: the portal stopped while starting (exit {process.returncode}):\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit(f"screenshots: the portal did not answer at {url} within {timeout} seconds")


def start_portal(workdir, port):
    """Migrate a fresh SQLite database, load the demo and serve it; return the server process."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
            "LANGUAGE_CODE": "vi",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    print("screenshots: migrating a throwaway database and loading the demo data…")
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [*manage, "load_demo", "--password", PASSWORD],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with open(workdir / "server.log", "wb") as log:
        return subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def sign_in(page, base_url, account):
    page.goto(base_url + "/tai-khoan/dang-nhap/")
    form = page.locator("main form[action$='/dang-nhap/']")
    form.locator("input[name=username]").fill(account)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    if "/dang-nhap/" in page.url:
        sys.exit(f"screenshots: could not sign in as {account}")


def save_png(data, target):
    """Write a screenshot as a 256-colour PNG: a fraction of the size, no visible loss here."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, optimize=True)
    return target.stat().st_size


# Scroll through the part of the page that will be captured, so that lazy images load, then wait
# for every image there and for the fonts.
SETTLE = """async (height) => {
  for (let y = 0; y < height; y += window.innerHeight / 2) {
    window.scrollTo({top: y, behavior: "instant"});
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)));
  }
  window.scrollTo({top: 0, behavior: "instant"});
  const pending = [...document.images].filter(
    (img) => !img.complete && img.getBoundingClientRect().top < height
  );
  const loaded = Promise.all(pending.map((img) => new Promise((done) => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
  })));
  await Promise.race([loaded, new Promise((done) => setTimeout(done, 5000))]);
  await document.fonts.ready;
}"""


def capture(page, shot, width_name, viewport, output):
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
    height = viewport["height"]
    if width_name == "desktop" and shot.full_desktop:
        full = page.evaluate("document.documentElement.scrollHeight")
        height = min(full, int(viewport["height"] * MAX_SCREENS))
    page.evaluate(SETTLE, height)
    page.wait_for_load_state("networkidle")
    clip = {"x": 0, "y": 0, "width": viewport["width"], "height": height}
    data = page.screenshot(clip=clip, full_page=height > viewport["height"], animations="disabled")
    target = output / f"{shot.name}-{width_name}.png"
    size = save_png(data, target)
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"  {shown}: {size // 1024} KB")
    return overflow


def take(base_url, output, only):
    output.mkdir(parents=True, exist_ok=True)
    shots = [shot for shot in SHOTS if not only or shot.name in only]
    problems = []
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            contexts = {}
            for shot in shots:
                if shot.account not in contexts:
                    context = browser.new_context(
                        viewport=viewport,
                        device_scale_factor=1,
                        locale="vi-VN",
                        timezone_id="Asia/Ho_Chi_Minh",
                        is_mobile=width_name == "phone",
                        has_touch=width_name == "phone",
                    )
                    page = context.new_page()
                    if shot.account:
                        sign_in(page, base_url, shot.account)
                    contexts[shot.account] = page
                page = contexts[shot.account]
                path = shot.path
                if path in PATH_FINDERS:
                    path = PATH_FINDERS[path](page, base_url)
                response = page.goto(base_url + path)
                if response is None or response.status != 200:
                    problems.append(f"{shot.name}: {path} answered {response and response.status}")
                overflow = capture(page, shot, width_name, viewport, output)
                if width_name == "phone" and overflow > 0:
                    problems.append(f"{shot.name}: scrolls sideways by {overflow} px at 375 px")
            for page in contexts.values():
                page.context.close()
        browser.close()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names, e.g. home,post")
    parser.add_argument("--base-url", default="", help="use a portal already running there")
    parser.add_argument("--port", type=int, default=0, help="port of the throwaway server")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    unknown = only - {shot.name for shot in SHOTS}
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}")
    output = args.output.resolve()

    if args.base_url:
        problems = take(args.base_url.rstrip("/"), output, only)
    else:
        with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as tmp:
            port = args.port or free_port()
            process = start_portal(Path(tmp), port)
            try:
                base_url = f"http://127.0.0.1:{port}"
                wait_until_up(base_url, process, Path(tmp) / "server.log")
                print(f"screenshots: portal up at {base_url}; capturing…")
                problems = take(base_url, output, only)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
    if problems:
        print("screenshots: problems found:", *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"screenshots: done, in {output}")


if __name__ == "__main__":
    main()
