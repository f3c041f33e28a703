"""Every analysis output of every bundled questionnaire, written to a folder, so two checkouts can be compared
file by file (a change to how analysis reads the questionnaire must not change an output).

    PYTHONPATH=. python -m bench.identity_all OUT_DIR [N]      # N demo responses per questionnaire (400)
    diff -r OUT_A OUT_B                                        # the outputs of two checkouts

For each questionnaire in questionnaires/: the interim report's JSON for each audience (internal, partner,
public) in each of its languages and Welsh and English; the internal final report's JSON (the interim as
its previous); the internal interim HTML with its charts; the public results page's figures; the responses
export (CSV with codes and with labels, the data dictionary as CSV and Markdown) with and without free text
and sensitive answers, for internal and partner audiences; and the dashboard's profile dimensions, the
representativeness table, the disclosure policy, the first free-text answers and moderation's quality
flags. Reports carry fixed generation times, so a rerun writes the same bytes.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = date(2016, 6, 13)
FINAL = date(2016, 7, 30)
AUDIENCES = ("internal", "partner", "public")


def write_all(out: Path, n: int = 400) -> int:
    """Write every output (the module docstring) of every bundled questionnaire; returns the file count."""
    from analysis.dashboard import profile_dimensions
    from analysis.disclosure.policy import policy_of
    from analysis.export import dictionary_csv, dictionary_markdown, flatten, write_csv
    from analysis.reference import reference_name_for, resolve_reference
    from analysis.report import build_report, render
    from analysis.report.profile import weigh
    from analysis.representativeness import compare_questionnaire
    from analysis.text import default_codebook, free_text_answers
    from survey.engine import load_file
    from survey.services.demo import generate
    from survey.services.moderation import quality_flags
    from survey.services.results import public_results

    root = Path(__file__).resolve().parent.parent / "questionnaires"
    codebook = default_codebook()
    for path in sorted(root.glob("*.json")):
        if path.name.endswith("schema.json"):
            continue
        q = load_file(path)
        rows = [d.as_row(i, q.version) for i, d in enumerate(generate(q, n, 2016, date(2016, 5, 3)), start=1)]
        reference = resolve_reference(reference_name_for(q))
        for audience in AUDIENCES:
            for lang in sorted(set(q.languages) | {"cy", "en"}):
                stem = f"{q.id}-{audience}-{lang}"
                try:
                    report = build_report(
                        "interim", q, rows, AS_OF, reference, codebook, audience=audience,
                        generated_at=datetime(2016, 6, 14, tzinfo=UTC), draw_charts=False, language=lang,
                    )  # fmt: skip
                except ValueError as error:  # too few responses for this audience yet
                    (out / f"{stem}.err").write_text(str(error))
                    continue
                data = render(report, "json")
                (out / f"{stem}.json").write_bytes(data)
                if audience == "internal":
                    final = build_report(
                        "final", q, rows, FINAL, reference, codebook, audience=audience, language=lang,
                        generated_at=datetime(2016, 8, 1, tzinfo=UTC), draw_charts=False,
                        previous=json.loads(data), previous_id=7,
                    )  # fmt: skip
                    (out / f"{q.id}-final-{lang}.json").write_bytes(render(final, "json"))
                if audience == "public" and lang == q.language:
                    shown = public_results(json.loads(data), q)
                    (out / f"{q.id}-public-results.txt").write_text(repr(shown))
        drawn = build_report(
            "interim", q, rows, AS_OF, reference, codebook, generated_at=datetime(2016, 6, 14, tzinfo=UTC)
        )
        (out / f"{q.id}-internal.html").write_bytes(render(drawn, "html"))
        result, _ = weigh(rows, q, reference, None, 5.0)
        weights = result.weights if result else {}
        for free_text in (True, False):
            for sensitive in (True, False):
                for audience in AUDIENCES[:2]:
                    table = flatten(
                        rows, q, weights, free_text=free_text, sensitive=sensitive,
                        include_incomplete=True, audience=audience,
                    )  # fmt: skip
                    stem = f"{q.id}-export-{free_text}-{sensitive}-{audience}"
                    (out / f"{stem}.csv").write_bytes(write_csv(table) + write_csv(table, labels=True))
                    (out / f"{stem}-dictionary").write_bytes(
                        dictionary_csv(table) + dictionary_markdown(table)
                    )
        figures = [
            profile_dimensions(q),
            compare_questionnaire(rows, reference, q),
            policy_of(q),
            free_text_answers(rows, q)[:50],
            quality_flags(rows, q),
        ]
        (out / f"{q.id}-figures.txt").write_text("\n".join(map(repr, figures)))
        print(f"{q.id}: written", flush=True)
    return len(list(out.iterdir()))


def main() -> None:
    args = sys.argv[1:]
    if not 1 <= len(args) <= 2 or (len(args) == 2 and not args[1].isdigit()):
        sys.exit(__doc__)
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    print(f"{write_all(out, int(args[1]) if len(args) == 2 else 400)} files in {out}")


if __name__ == "__main__":
    main()
