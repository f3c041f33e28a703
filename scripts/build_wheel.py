"""Build the deployable wheel: the package with its templates, migrations, questionnaires and built assets.

    python scripts/build_wheel.py [--out dist]

The CSS must be built first (`npm ci` runs `npm run build`): without survey/static/build/survey.css or
GOV.UK Frontend in node_modules this stops with a message instead of building a wheel that would serve
unstyled pages. The files that live beside the package in a checkout (templates/, migrations/,
questionnaires/, GOV.UK Frontend's script, fonts and images) are copied into survey/_bundle/ (not in git),
which the wheel carries as package data; the app looks there when the checkout's folders are absent.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "survey" / "_bundle"
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
CSS = ROOT / "survey" / "static" / "build" / "survey.css"
FOLDERS = ("templates", "migrations", "questionnaires")


def bundle() -> None:
    """Fill survey/_bundle/ from the checkout (refusing when the built assets are missing)."""
    missing = [str(p.relative_to(ROOT)) for p in (CSS, GOVUK / "govuk-frontend.min.js") if not p.is_file()]
    if missing:
        raise SystemExit(
            f"cannot build the wheel: {', '.join(missing)} missing; run `npm ci` "
            "(it builds the stylesheet) first"
        )
    shutil.rmtree(BUNDLE, ignore_errors=True)
    # the gettext catalogues travel as .po and compiled .mo (survey/translations, package data)
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(ROOT / "survey" / "translations")])
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in FOLDERS:
        shutil.copytree(ROOT / name, BUNDLE / name, ignore=ignore)
    (BUNDLE / "govuk").mkdir(parents=True)
    shutil.copy2(GOVUK / "govuk-frontend.min.js", BUNDLE / "govuk" / "govuk-frontend.min.js")
    shutil.copytree(GOVUK / "assets", BUNDLE / "govuk" / "assets")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"), help="where the wheel is written")
    args = parser.parse_args(argv)
    bundle()
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", args.out, str(ROOT)], check=True
        )
    finally:
        shutil.rmtree(BUNDLE, ignore_errors=True)
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
