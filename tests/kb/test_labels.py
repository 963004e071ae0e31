"""Every code users see is named in English and Russian by the KB, and each code is named the same everywhere."""

import io
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from tipkb import load_questionnaire, validate_answers
from tipkb.assess.questionnaire import DONT_KNOW
from tipkb.assess.storage import DRAFT, SUBMITTED
from tipkb.facts.catalogue import list_practices
from tipkb.facts.countries import list_countries
from tipkb.facts.labels import code_labels, label, names
from tipkb.facts.profile import country_profile
from tipkb.recommend.rules import load_rules, rule_titles
from tipkb.report import assessment_inputs, baseline_inputs, report_context, typeset_report
from tipkb.report.context import ANSWER_STATES, EFFORT_FACTOR, EVIDENCE_FACTOR
from tipkb.report.recs import KIND_ORDER

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "ru")
# A kind of code named in a template (`code|label('tiers')`) or in Python code that uses tipkb.facts.labels
# (`label(kb, "tiers", …)`, `names(kb, "tiers", …)`, `name("tiers", …)`, `labels["tiers"]`, `labels.get("tiers")`).
KIND_IN_TEMPLATE = re.compile(r"""\|\s*label\(\s*['"]([^'"]+)['"]""")
KIND_IN_PYTHON = re.compile(r'\b(?:label|\w*names)\(\s*[\w.()]+,\s*"([a-z-]+)"|\bname\(\s*"([a-z-]+)"|'
                            r'\blabels(?:\[|\.get\()\s*"([a-z-]+)"')


@pytest.fixture(scope="module")
def runs(shipped_kb):
    """Recommendation sets users see: every country's baseline and every shipped example assessment."""
    questionnaire = load_questionnaire(shipped_kb)
    out = [baseline_inputs(shipped_kb, c.code) for c in list_countries(shipped_kb, "en") if c.is_focus]
    for example in sorted((ROOT / "kb" / "examples").glob("*.json")):
        answers = validate_answers(questionnaire, json.loads(example.read_text(encoding="utf-8")))
        out.append(assessment_inputs(shipped_kb, questionnaire, answers))
    return out


@pytest.fixture(scope="module")
def shown(shipped_kb, runs) -> dict[str, set[str]]:
    """The codes the domain hands to users, by kind, gathered from the KB's data, recommendation runs and the code."""
    codes: dict[str, set[str]] = defaultdict(set)
    for country in list_countries(shipped_kb, "en"):
        p = country_profile(shipped_kb, country.code)
        codes["ratification-statuses"] |= {r["status"] for r in p["ratifications"]}
        codes["law-kinds"] |= {law["kind"] for law in p["laws"]}
        codes["tiers"] |= {t["tier"] for t in p["tip_tiers"]}
        codes["indicators"] |= {s["indicator"] for s in p["statistics"]}
        codes["exploitation-forms"] |= {r["form"] for r in p["destinations"] + p["origins"] if r["form"]}
        codes["exploitation-forms"] |= {g["code"] for g in p["exploitation_forms"]}
        codes["victim-groups"] |= {g["code"] for g in p["groups_at_risk"]}
        codes["gap-categories"] |= {g["category"] for g in p["gaps"]}
        records = [r for key in ("ratifications", "laws", "tip_tiers", "statistics", "destinations", "origins",
                                 "groups_at_risk", "exploitation_forms", "gaps") for r in p[key]]
        codes["confidence-levels"] |= {r["confidence"] for r in records if r.get("confidence")}
    for practice in list_practices(shipped_kb):
        for kind, ref in (("time-horizons", practice.horizon), ("effort-levels", practice.effort),
                          ("evidence-levels", practice.evidence)):
            if ref is not None:
                codes[kind].add(ref.code)
    for rs, _ in runs:
        for r in rs.items:
            codes["pillars"] |= set(r.pillars)
            codes["stakeholders"] |= set(r.stakeholders)
            codes["time-horizons"].add(r.horizon)
            codes["effort-levels"].add(r.effort)
            codes["evidence-levels"].add(r.evidence)
            codes["trace-kinds"] |= {s.kind for s in r.trace}
    codes["effort-levels"] |= set(EFFORT_FACTOR)  # the report's methodology names every factor
    codes["evidence-levels"] |= set(EVIDENCE_FACTOR)
    codes["trace-kinds"] |= set(KIND_ORDER)
    codes["assessment-states"] |= {DRAFT, SUBMITTED}
    codes["answer-states"] |= set(ANSWER_STATES) | {DONT_KNOW}
    return {kind: {c for c in found if c} for kind, found in codes.items()}


def test_every_code_shown_to_users_has_an_english_and_a_russian_name(shipped_kb, shown):
    labels = code_labels(shipped_kb)
    missing = [f"{kind}/{code}: no {lang} name" for kind, found in sorted(shown.items()) for code in sorted(found)
               for lang in LANGS if not labels.get(kind, {}).get(code, {}).get(lang, "").strip()]
    assert not missing, "\n".join(missing)
    assert {"ratification-statuses", "law-kinds", "tiers", "indicators", "exploitation-forms", "confidence-levels",
            "effort-levels", "evidence-levels", "time-horizons", "trace-kinds", "assessment-states",
            "answer-states"} <= set(shown)  # the enumeration above found each kind of code it looks for


def test_every_vocabulary_code_is_named_in_both_languages(shipped_kb):
    missing = [f"{kind}/{code}: no {lang} name" for kind, codes in code_labels(shipped_kb).items()
               for code, texts in codes.items() for lang in LANGS if not texts.get(lang, "").strip()]
    assert not missing, "\n".join(missing)


def test_every_kind_of_code_the_interface_names_exists_in_the_kb(shipped_kb):
    used: dict[str, str] = {}
    for path in sorted((ROOT / "webapp" / "templates").rglob("*.html")):
        for kind in KIND_IN_TEMPLATE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(kind, str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "src" / "tipkb").rglob("*.py")) + sorted((ROOT / "webapp").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "tipkb.facts.labels import" not in text:
            continue
        for found in KIND_IN_PYTHON.findall(text):
            kind = next(k for k in found if k)
            used.setdefault(kind, str(path.relative_to(ROOT)))
    assert "tiers" in used and "trace-kinds" in used  # the scan sees the templates and the report code
    unknown = {kind: where for kind, where in used.items() if kind not in code_labels(shipped_kb)}
    assert not unknown, f"kinds of code with no kb:scheme-<kind> in kb/vocab: {unknown}"


def test_every_rule_has_a_title_in_english_and_russian(shipped_kb, runs):
    titles = rule_titles(shipped_kb)
    rules = load_rules(ROOT)
    assert set(titles) == {r.id for r in rules}
    used = {rule for rs, _ in runs for rule in rs.rules}
    assert used <= set(titles)
    missing = [f"{rule}: no {lang} title" for rule in sorted(titles) for lang in LANGS
               if not titles[rule].get(lang, "").strip()]
    assert not missing, "\n".join(missing)


def test_every_rule_has_a_title_in_each_regional_language_in_its_script(shipped_kb):
    from tipkb.i18n import REGIONAL_LANGUAGES, script_mismatch

    titles = rule_titles(shipped_kb)
    wrong = [f"{rule}: {lang}: {titles[rule].get(lang)!r} {script_mismatch(titles[rule].get(lang, ''), lang) or ''}"
             for rule in sorted(titles) for lang in REGIONAL_LANGUAGES
             if not titles[rule].get(lang, "").strip() or script_mismatch(titles[rule][lang], lang)]
    assert not wrong, "\n".join(wrong)


def test_the_report_lists_rules_by_their_titles_in_its_language(shipped_kb, runs):
    rs, options = runs[-1]
    listed = dict(report_context(shipped_kb, rs, lang="ru", **options)["rules"])
    assert listed and listed == {rule: rule_titles(shipped_kb)[rule]["ru"] for rule in rs.rules}


@pytest.mark.pdf
def test_tier_2wl_has_one_russian_name_on_the_country_page_and_in_the_report(shipped_kb, tmp_path):
    """Regression: the page, its chart and the report once wrote Tier 2 Watch List three different ways."""
    from pypdf import PdfReader

    from webapp import create_app

    name = label(shipped_kb, "tiers", "2WL", "ru")
    assert name == names(shipped_kb, "tiers", "ru")["2WL"] and name != "2WL"
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TIPKB_KB": shipped_kb,
                      "TIPKB_DATABASE_URL": f"sqlite:///{tmp_path / 'tipkb.sqlite'}"})
    page = app.test_client().get("/countries/KG?lang=ru").get_data(as_text=True)
    rs, options = baseline_inputs(shipped_kb, "KG")  # Kyrgyzstan's latest tier is 2WL
    pdf = typeset_report(shipped_kb, rs, lang="ru", generated=date(2026, 11, 29), **options)
    report = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())

    def watch_list_names(text: str) -> set[str]:
        return {m.strip(" ,") for m in re.findall(r"Категория 2[^<(\[\d]*", text)} - {"Категория 2"}

    assert page.count(name) >= 3  # the table, the chart's axis and the chart's points
    assert watch_list_names(page) == watch_list_names(report) == {name}
