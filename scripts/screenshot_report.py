#!/usr/bin/env python3
"""Render a report (any local HTML file) in headless Chromium and save a PNG, to look at what a person sees.

    python scripts/screenshot_report.py outputs/report.html --out report.png [--width 1400] [--height 2400]
        [--anchor timeline]      # the shot starts at a section (`#timeline`, `#pairs`, …; needs Pillow)

Needs Chromium (`apt-get install -y chromium`). Runs offline: background networking, sync, component updates and
QUIC are off, and a fresh temporary profile is used and removed. `--virtual-time-budget` lets the page finish
loading its embedded font and drawing its charts before the shot.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("no Chromium found: apt-get install -y chromium")


def _chromium(browser: str | None, profile: str, args: list[str], budget_ms: int, timeout: float):
    cmd = [browser or find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
           f"--virtual-time-budget={budget_ms}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=dict(os.environ, HOME=profile))


def section_top(html: Path, anchor: str, width: int = 1400, browser: str | None = None, budget_ms: int = 15000,
                timeout: float = 180) -> int:
    """The page offset (px) of the element `#anchor` once the page (its charts) is drawn."""
    with tempfile.TemporaryDirectory(prefix="plans-chromium-") as profile:
        page = Path(profile, "page.html")
        probe = (f"<script>window.addEventListener('load', () => setTimeout(() => {{ const el = "
                 f"document.getElementById({anchor!r}); document.body.setAttribute('data-top', el ? "
                 f"Math.round(el.getBoundingClientRect().top + window.scrollY) : -1); }}, 4000));</script>")
        page.write_text(Path(html).read_text(encoding="utf-8").replace("</body>", probe + "</body>"),
                        encoding="utf-8")
        proc = _chromium(browser, profile, [f"--window-size={width},2000", "--dump-dom", page.as_uri()], budget_ms,
                         timeout)
    m = re.search(r'<body[^>]*data-top="(-?\d+)"', proc.stdout)
    if not m or int(m.group(1)) < 0:
        raise RuntimeError(f"no element #{anchor} in {html}")
    return int(m.group(1))


def screenshot(html: Path, out: Path, width: int = 1400, height: int = 2400, browser: str | None = None,
               budget_ms: int = 15000, timeout: float = 180, anchor: str | None = None) -> Path:
    """Render `html` at width × height and write the PNG to `out`; its path. With `anchor`, the shot starts at
    that section (`#timeline`): the page is drawn tall enough and cut (headless Chromium shoots the top only)."""
    html, out = Path(html).resolve(), Path(out).resolve()
    if not html.is_file():
        raise FileNotFoundError(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    top = section_top(html, anchor, width, browser, budget_ms, timeout) if anchor else 0
    with tempfile.TemporaryDirectory(prefix="plans-chromium-") as profile:
        shot = Path(profile, "shot.png") if top else out
        proc = _chromium(browser, profile, [f"--screenshot={shot}", f"--window-size={width},{top + height}",
                                            html.as_uri()], budget_ms, timeout)
        if top and shot.is_file():
            from PIL import Image

            with Image.open(shot) as img:
                img.crop((0, top, width, top + height)).save(out)
    if not out.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("html", type=Path, help="the report to render")
    p.add_argument("--out", type=Path, default=Path("report.png"), help="PNG to write (default report.png)")
    p.add_argument("--width", type=int, default=1400)
    p.add_argument("--height", type=int, default=2400)
    p.add_argument("--browser", default=None, help="Chromium executable (default: found on PATH)")
    p.add_argument("--anchor", default=None, help="a section to scroll to: timeline, pairs, owners, …")
    args = p.parse_args(argv)
    path = screenshot(args.html, args.out, args.width, args.height, args.browser, anchor=args.anchor)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
