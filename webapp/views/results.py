"""An assessment's results: next steps, recommendations grouped, pillar scores and chart, changes, the PDF form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from tipkb.assess import followup_store
from tipkb.assess.followup import NOTE_LENGTH, STATUSES
from tipkb.assess.storage import Assessment
from tipkb.facts.catalogue import Facets, facets, gaps, practices
from tipkb.facts.countries import list_countries
from tipkb.facts.labels import code_labels
from tipkb.recommend.plain import NEXT_STEPS, group_by
from tipkb.recommend.results import assessment_key, kept_results

from ..access import checked_answers, owned, previous
from ..auth import login_required
from ..db import get_questionnaire, get_store
from ..evidence import evidence_key
from ..followups import board
from ..fragments import assessment_page
from ..i18n import current_language
from ..kb import get_kb
from ..recommendations import init_app, read_filters, read_group

bp = Blueprint("results", __name__, url_prefix="/assessments")
bp.record_once(lambda state: init_app(state.app))


@bp.get("/<int:assessment_id>/results")
@login_required
def show(assessment_id: int):
    assessment = owned(assessment_id)  # first: another organisation's assessment is a 404, never a kept page
    earlier = previous(assessment)
    options = facets(get_kb())
    chosen = read_filters(request.args, options)
    group = read_group(request.args)
    done = followup_store.implemented_in(get_store(), earlier.id if earlier else None)
    key = (assessment_key(assessment, earlier), group, *chosen.items(), done)
    key = (*key, evidence_key(assessment))  # the traces list the answers' evidence
    return assessment_page(key, "results/show.html", lambda: _page(assessment, earlier, options, chosen, group, done),
                           "results/shell.html", a=assessment, statuses=STATUSES, note_length=NOTE_LENGTH,
                           board=board(assessment) if assessment.read_only else None)


def _page(assessment: Assessment, earlier: Assessment | None, options: Facets, chosen: dict,
          group: str, done: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return what the results page shows: it comes from the assessment, the one before it and the KB alone."""
    kb, questionnaire = get_kb(), get_questionnaire()

    def results(**filters):
        return kept_results(kb, questionnaire, assessment, lambda: checked_answers(assessment), earlier,
                            strict=False, **filters)

    shown = results(**chosen)
    every = results() if any(chosen.values()) else shown  # the PDF form and the ranks use the whole set
    ranks = {r.practice_code: r.rank for r in every.recommendations.items}
    items = shown.recommendations.items
    before = {p.pillar: p.before for p in shown.comparison.pillars} if shown.comparison else {}
    order = list(code_labels(kb)["pillars" if group == "pillar" else "stakeholders"])
    country = {c.code: c.label for c in list_countries(kb, current_language())}.get(assessment.country,
                                                                                    assessment.country)
    return dict(a=assessment, q=questionnaire, facets=options, chosen=chosen, country=country, group=group,
                filtered=any(chosen.values()), scores=shown.scores, comparison=shown.comparison, before=before,
                recommendations=shown.recommendations, ranks=ranks, next_steps=items[:NEXT_STEPS],
                groups=group_by(items[NEXT_STEPS:], group, order), every=every.recommendations.items,
                closed=[g for g in gaps(kb) if shown.comparison and g.iri in shown.comparison.closed_gaps],
                implemented=[p for p in practices(kb) if p.code in done])
