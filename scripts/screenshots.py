"""Take the README's screenshots: the demo in German at 1366 and 390 px (see scripts/screenshots).

The demo runs on a fresh temporary data directory and port, so the pictures show the demo data only and
nothing of the caller's own installation. The PNGs are reduced to a 256-colour palette when Pillow is there.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VENDORVET_CHROMIUM", "/usr/bin/chromium")
WIDTHS = {"desktop": (1366, 900), "mobile": (390, 844)}
# (file stem, how to reach the page: a path, or a list page plus the link text to follow)
PAGES = [
    ("dashboard", "/dashboard/", None),
    ("inventory", "/integrations/", None),
    ("integration", "/integrations/", "Salesforce"),
    ("review", "/assessments/", "Salesforce"),
    ("vendor", "/vendors/", "Microsoft"),
    ("legal-transfers", "/legal/", None),
    ("monitoring", "/monitoring/", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the demo stopped (exit {proc.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the demo did not answer on {url}")


def shrink(path: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def settle(page) -> None:
    try:  # the detail pages load their panels by HTMX after the page
        page.wait_for_selector("[hx-trigger=load]", state="detached", timeout=15_000)
    except Exception:  # noqa: BLE001 (a slow panel is photographed as it stands)
        pass
    page.wait_for_timeout(300)


def take(base: str, username: str, password: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="de-DE")
        context.add_cookies([{"name": "django_language", "value": "de", "url": base}])
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/dashboard/")
        urls = {}
        for stem, path, link in PAGES:
            page.goto(base + path)
            if link:
                page.locator("main a", has_text=link).first.click()
                page.wait_for_load_state()
            urls[stem] = page.url
        for size, (width, height) in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            for stem, _path, _link in PAGES:
                page.goto(urls[stem])
                settle(page)
                target = out / f"{stem}-{size}.png"
                page.screenshot(path=str(target))
                shrink(target)
                written.append(target)
        # the open menu of a phone
        page.goto(urls["dashboard"])
        page.locator(".nav-toggle").click()
        target = out / "menu-mobile.png"
        page.screenshot(path=str(target))
        shrink(target)
        written.append(target)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="vendorvet-shots-") as data_dir:
        env = {**os.environ, "VENDORVET_DATA_DIR": data_dir, "VENDORVET_LANGUAGE": "de",
               "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("DATABASE_URL", None)
        proc = subprocess.Popen([sys.executable, "-m", "vendorvet.cli.main", "demo", "--port", str(port),
                                 "--no-worker", "--no-monitor"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/accounts/login/", proc)
            login = (Path(data_dir) / "demo-login.txt").read_text(encoding="utf-8")
            username = re.search(r"^username: (\S+)", login, re.M).group(1)
            password = re.search(r"^password: (\S+)", login, re.M).group(1)
            for path in take(base, username, password, out):
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KiB")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
