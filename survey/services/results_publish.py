"""Publishing a report on the public results page: only a public-audience report, and only if it holds.

`publish_problem` is the check staff's "Publish" button runs (survey/staff/results.py): a report made for
the internal or partner audience is refused, with what to do instead; a public-audience report is then
audited once more as the page would show it (`audit_page`: every question table, base, share and routing
link of the page and its open data, through analysis.disclosure's integer-programming auditor), and
refused if a hidden count could be narrowed to a range under the threshold. The report was audited when
it was made, so that second check is a guard that the page adds nothing: the counts the report itself
lists as `unresolved` are left to it (in a tiny output, a hidden base that routing ties to the published
number of responses, which no further hiding can change). It lives here, apart from
survey/services/results.py, because the residents' face may not import analysis code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.disclosure import CellRange, InconsistentFigures, audit_report
from survey.engine import Questionnaire
from survey.services.results import PUBLIC, PublicResults, audience, public_results
from survey.services.words import gettext, ngettext


def page_document(results: PublicResults) -> dict[str, Any]:
    """What the page and its open data show, in the shape of a report's JSON numbers that the auditor reads
    (analysis.disclosure.report_system). "Who took part" is left out: its respondents' shares are worked
    out from these question tables (and hidden where a cell they need is), so they add no constraint."""
    questions = []
    for table in results.questions:
        qid, _, item = table.key.partition(".")
        questions.append(
            {
                "id": qid,
                "item": item or None,
                "type": table.type,
                "base": table.base,
                "rows": [{"code": c.code, "count": c.count, "share": c.share} for c in table.cells],
            }
        )
    return {
        "headline": {"complete": results.responses},
        "questions": questions,
        "disclosure": {
            "threshold": results.threshold,
            "rounding": results.rounding,
            "share_decimals": results.share_decimals,
            "links": [dict(link) for link in results.links],
        },
    }


def audit_page(results: PublicResults) -> list[CellRange]:
    """Hidden counts of the page that a reader could narrow to a range under the threshold."""
    return audit_report(page_document(results), results.threshold)


def publish_problem(snapshot_id: int, numbers: Mapping[str, Any], questionnaire: Questionnaire) -> str | None:
    """Why the stored report may not be published on the public results page (None: it may)."""
    made_for = audience(numbers)
    if made_for != PUBLIC:
        return gettext(
            "Report #%(id)s was made for the %(audience)s audience, so it cannot be published: the public "
            "results page shows only a report made for the public audience, whose small counts are hidden "
            "and audited. Make one on the Reports page, choosing “Public” as who the report is for, then "
            "publish that.",
            id=snapshot_id,
            audience=made_for,
        )
    results = public_results(numbers, questionnaire)
    accepted = {str(name) for name in (numbers.get("disclosure") or {}).get("unresolved") or []}
    try:
        narrow = [r for r in audit_page(results) if r.name not in accepted]
    except InconsistentFigures as error:
        return gettext(
            "Report #%(id)s cannot be published: its figures do not add up (%(error)s)",
            id=snapshot_id,
            error=error,
        )
    if narrow:
        names = "; ".join(str(r) for r in narrow[:3])
        return ngettext(
            "Report #%(id)s cannot be published: the disclosure auditor can narrow %(num)s hidden figure to "
            "fewer than %(threshold)s possible values (%(names)s). Make a new public report and publish "
            "that.",
            "Report #%(id)s cannot be published: the disclosure auditor can narrow %(num)s hidden figures to "
            "fewer than %(threshold)s possible values (%(names)s). Make a new public report and publish "
            "that.",
            len(narrow),
            id=snapshot_id,
            threshold=results.threshold,
            names=names,
        )
    return None
