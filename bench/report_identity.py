"""Write the demo report's JSON for each audience, so two checkouts' outputs can be compared byte for byte.

A speed-up of the report must not change a number. Run this in each checkout (the same N, or the same
database) and compare the files (`cmp`, or `--compare DIR_A DIR_B`):

    PYTHONPATH=. python -m bench.report_identity 2000 OUT_DIR            # demo responses in memory
    PYTHONPATH=. python -m bench.report_identity --db SQLITE_URL OUT_DIR  # through make_report, from a
                                                                          # database bench.reports_db built
    python -m bench.report_identity --compare OUT_A OUT_B

The in-memory path fixes `generated_at`; the database path makes the report as the report job does
(`services.reporting.make_report`, JSON, not kept), and the comparison ignores only the report's
`generated_at` timestamp.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

AUDIENCES = ("internal", "partner", "public")
AS_OF = date(2016, 6, 13)
_STAMP = re.compile(rb'"generated_at": ?"[^"]*"')


def from_demo(n: int, out: Path) -> None:
    """The interim report of N demo responses for every audience (generation untimed)."""
    from analysis.reference import reference_name_for, resolve_reference
    from analysis.report import build_report, render
    from analysis.text import default_codebook
    from survey.engine import load_file
    from survey.services.demo import generate

    root = Path(__file__).resolve().parent.parent
    q = load_file(root / "questionnaires" / "safermk-2016.json")
    demo = generate(q, n, 2016, date(2016, 5, 3))
    rows = [d.as_row(i, q.version) for i, d in enumerate(demo, start=1)]
    reference, codebook = resolve_reference(reference_name_for(q)), default_codebook()
    for audience in AUDIENCES:
        cpu = time.process_time()
        report = build_report(
            "interim",
            q,
            rows,
            AS_OF,
            reference,
            codebook,
            audience=audience,
            generated_at=datetime(2016, 6, 14, tzinfo=UTC),
            draw_charts=False,
        )
        (out / f"{audience}.json").write_bytes(render(report, "json"))
        print(f"{audience}: {time.process_time() - cpu:.2f} s CPU", flush=True)


def from_database(url: str, out: Path) -> None:
    """The interim report as the report job makes it (JSON, not kept) for every audience."""
    from sqlmodel import Session

    from bench.reports_db import QID, _app
    from survey.services.reporting import make_report
    from survey.store.db import get_engine

    app = _app(url)
    with app.app_context(), app.test_request_context(), Session(get_engine()) as session:
        for audience in AUDIENCES:
            cpu = time.process_time()
            made = make_report(
                session=session,
                questionnaire_id=QID,
                kind="interim",
                fmt="json",
                as_of=AS_OF,
                created_by="bench",
                keep=False,
                audience=audience,
            )
            (out / f"{audience}.json").write_bytes(made.data)
            print(f"{audience}: {time.process_time() - cpu:.2f} s CPU", flush=True)


def compare(a: Path, b: Path) -> bool:
    """True when every audience's JSON is the same in both directories, apart from `generated_at`."""
    same = True
    for audience in AUDIENCES:
        left = _STAMP.sub(b'"generated_at": ""', (a / f"{audience}.json").read_bytes())
        right = _STAMP.sub(b'"generated_at": ""', (b / f"{audience}.json").read_bytes())
        print(f"{audience}: {'identical' if left == right else 'DIFFERENT'} ({len(left):,} bytes)")
        same = same and left == right
    return same


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--compare"] and len(args) == 3:
        sys.exit(0 if compare(Path(args[1]), Path(args[2])) else 1)
    if args[:1] == ["--db"] and len(args) == 3:
        Path(args[2]).mkdir(parents=True, exist_ok=True)
        from_database(args[1], Path(args[2]))
        return
    if len(args) == 2 and args[0].isdigit():
        Path(args[1]).mkdir(parents=True, exist_ok=True)
        from_demo(int(args[0]), Path(args[1]))
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
