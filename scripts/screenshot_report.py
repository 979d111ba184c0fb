#!/usr/bin/env python3
"""Render a report (any local HTML file) in headless Chromium and save a PNG, to look at what a person sees.

    python scripts/screenshot_report.py outputs/report.html --out report.png [--width 1400] [--height 2400]

Needs Chromium (`apt-get install -y chromium`). Runs offline: background networking, sync, component updates and
QUIC are off, and a fresh temporary profile is used and removed. `--virtual-time-budget` lets the page finish
loading its embedded font and drawing its charts before the shot.
"""
from __future__ import annotations

import argparse
import os
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


def screenshot(html: Path, out: Path, width: int = 1400, height: int = 2400, browser: str | None = None,
               budget_ms: int = 15000, timeout: float = 180) -> Path:
    """Render `html` at width × height and write the PNG to `out`; its path."""
    html, out = Path(html).resolve(), Path(out).resolve()
    if not html.is_file():
        raise FileNotFoundError(html)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plans-chromium-") as profile:
        cmd = [browser or find_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
               f"--virtual-time-budget={budget_ms}", f"--screenshot={out}", f"--window-size={width},{height}",
               html.as_uri()]
        env = dict(os.environ, HOME=profile)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
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
    args = p.parse_args(argv)
    path = screenshot(args.html, args.out, args.width, args.height, args.browser)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
