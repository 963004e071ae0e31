"""The fixed wording of the print report, and how it writes dates and numbers in each language.

The names of codes (statuses, tiers, kinds…) and of rules are not here: they come from the KB
(`tipkb.facts.labels`, `tipkb.recommend.rules.rule_titles`).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import get_decimal_symbol

from tipkb.i18n import LANGUAGES, localised_words

LANGS = LANGUAGES

# Written in English and Russian; the other languages translate the English text in the package's catalogue
# (tipkb.i18n.localised).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Trafficking in persons: self-assessment and recommendations",
        "baseline_title": "Trafficking in persons: country baseline and recommendations",
        "baseline_note": "This is a baseline report built from the facts the knowledge base holds about the "
                         "country. It has no questionnaire answers and therefore no scores; an assessment by an "
                         "organisation will refine it.",
        "country": "Country", "organisation": "Organisation", "year": "Assessment year",
        "generated": "Date", "questionnaire": "Questionnaire", "kb": "Knowledge base",
        "kb_version": "tipkb {tipkb}, ontology {ontology}, data {digest} ({files} files)",
        "status": "Status",
        "contents": "Contents", "page": "Page", "of": "of",
        "summary": "Executive summary", "overall": "Overall score", "rating": "rating",
        "completeness": "Completeness", "answered_of": "{answered} of {asked} questions answered",
        "dont_know": "“Don't know” answers", "dont_know_note": "left out of the scores, never counted as zero",
        "no_score": "no score",
        "pillar_scores": "Scores by pillar", "pillar": "Pillar", "score": "Score", "band": "Rating",
        "answered": "Answered", "capped": "capped by a critical answer",
        "chart_note": "Scores run from 0 (nothing in place) to 100 (everything asked about is in place).",
        "top5": "The five most urgent recommendations", "top": "The most urgent recommendations",
        "rank": "No.", "recommendation": "Recommendation",
        "priority": "Priority", "horizon": "Horizon", "see_page": "p.", "followup": "Follow-up",
        "basis": "Based on", "basis_facts": "the knowledge base's facts about the country",
        "basis_answers": "the organisation's answers", "basis_and": "and",
        "urgency_note": "An urgency factor of ×{urgency} applies, from the country's latest TIP report tier.",
        "recs": "Recommendations", "recs_by_pillar": "Recommendations by pillar",
        "recs_by_stakeholder": "Recommendations by stakeholder",
        "recs_intro": "{count} recommendations, most urgent first within each group. A recommendation that "
                      "concerns several groups is described in full once; later groups refer to it.",
        "no_recs": "No recommendation: the answers and facts reveal no gap that a known practice closes.",
        "described_in": "described under “{group}” above",
        "rationale": "Why", "closes": "Gaps it closes", "severity": "severity", "for": "Who acts",
        "pillars": "Pillars", "effort": "Effort", "evidence": "Evidence", "sources": "Sources",
        "sources_cited": "Sources cited in the recommendations",
        "sources_intro": "The numbers in brackets above refer to this list; each address is a link.",
        "more_answers": "Also based on answers", "more_reasons": "other reasons not shown: {count}",
        "factors": "need {need} × quality {quality} × tailoring {tailoring} × urgency {urgency}",
        "legal": "Legal framework", "legal_intro": "What the knowledge base records about {country}, "
                                                   "with the sources behind each entry.",
        "instruments": "International instruments", "instrument": "Instrument", "date": "Date",
        "laws": "National laws, plans and mechanisms", "kind": "Kind", "title_col": "Title",
        "latest_tier": "Latest US TIP report tier: {tier} ({year}).",
        "conflict": "the sources disagree", "none_recorded": "Nothing recorded.",
        "annex": "Annex: all answers", "annex_intro": "Every question of questionnaire {version}, with the "
                                                      "answer given, its score (0–1) and the organisation's note.",
        "question": "Question", "answer": "Answer", "note": "Note", "answer_evidence": "Evidence",
        "methodology": "Methodology",
        "rules_used": "Rules that produced these recommendations",
        "no_country_facts": "Country facts were not used.",
        "code": "Code",
        "selected": "{count} of {total} recommendations selected by the organisation.",
        "contact": "Contact",
        "found": "What was found", "asked_of": "What is asked of whom",
        "found_overall": "{country} scores {overall} % overall (rating {rating}).",
        "found_no_overall": "There is no overall score, because not every pillar has a score.",
        "found_weakest_one": "The weakest pillar is {pillars}.",
        "found_weakest": "The weakest pillars are {pillars}.",
        "pillar_score": "{pillar} ({score} %, rating {rating})",
        "pillar_capped": "{pillar} ({score} %, rating {rating}, capped by a critical answer)",
        "found_unscored": "Too few answers to score: {pillars}.",
        "found_complete": "The organisation answered {answered} of the {asked} questions asked ({completeness} %).",
        "found_dont_know": "{count} of these answers are “don't know”: they point to missing information, not to "
                           "a failure, and are left out of the scores.",
        "found_facts": "The knowledge base's facts about {country} reveal gaps that {count} known practices close.",
        "found_gaps": "The most urgent gaps:",
        "asks_intro": "The most urgent recommendations, by who is asked to act:",
        "asks_more": "All {total} recommendations are described in the next chapter.",
        "chart_alt": "Bar chart of the scores by pillar, from 0 to 100: {scores}.",
        "priorities": "Priority of each recommendation",
        "priorities_intro": "Each recommendation's priority and its factors, so that anyone can recompute the order.",
        "draft_translation": ("The text of this document in this language is a draft translation that experts have not "
                              "reviewed yet."),
        "fallback_ru": "Texts marked RU are shown in Russian: they have no translation into this language yet.",
        "fallback_en": "Texts marked EN are shown in English: they have no translation into this language yet.",
        "article": "art. {article}",
    },
    "ru": {
        "title": "Торговля людьми: самооценка и рекомендации",
        "baseline_title": "Торговля людьми: исходные данные по стране и рекомендации",
        "baseline_note": "Это исходный отчёт, составленный по сведениям о стране из базы знаний. В нём нет "
                         "ответов на вопросник, а значит, нет и оценок; самооценка организации уточнит его.",
        "country": "Страна", "organisation": "Организация", "year": "Год оценки",
        "generated": "Дата", "questionnaire": "Вопросник", "kb": "База знаний",
        "kb_version": "tipkb {tipkb}, онтология {ontology}, данные {digest} (файлов: {files})",
        "status": "Статус",
        "contents": "Содержание", "page": "Страница", "of": "из",
        "summary": "Краткое резюме", "overall": "Общая оценка", "rating": "уровень",
        "completeness": "Полнота", "answered_of": "отвечено на {answered} из {asked} вопросов",
        "dont_know": "Ответы «не знаю»", "dont_know_note": "не учитываются в оценках и не считаются нулём",
        "no_score": "нет оценки",
        "pillar_scores": "Оценки по направлениям", "pillar": "Направление", "score": "Оценка",
        "band": "Уровень", "answered": "Отвечено", "capped": "ограничено критическим ответом",
        "chart_note": "Оценка от 0 (ничего не сделано) до 100 (сделано всё, о чём спрашивает вопросник).",
        "top5": "Пять самых срочных рекомендаций", "top": "Самые срочные рекомендации",
        "rank": "№", "recommendation": "Рекомендация",
        "priority": "Приоритет", "horizon": "Срок", "see_page": "с.", "followup": "Статус",
        "basis": "Основание", "basis_facts": "сведения базы знаний о стране",
        "basis_answers": "ответы организации", "basis_and": "и",
        "urgency_note": "Применён коэффициент срочности ×{urgency} по последней категории страны в докладе TIP.",
        "recs": "Рекомендации", "recs_by_pillar": "Рекомендации по направлениям",
        "recs_by_stakeholder": "Рекомендации по исполнителям",
        "recs_intro": "Рекомендаций: {count}; в каждой группе — от самых срочных. Рекомендация, относящаяся "
                      "к нескольким группам, описана полностью один раз, в остальных группах дана ссылка.",
        "no_recs": "Рекомендаций нет: ответы и факты не выявили пробелов, которые устраняет известная практика.",
        "described_in": "описана выше в разделе «{group}»",
        "rationale": "Почему", "closes": "Устраняемые пробелы", "severity": "серьёзность", "for": "Исполнители",
        "pillars": "Направления", "effort": "Затраты", "evidence": "Доказательность", "sources": "Источники",
        "sources_cited": "Источники, на которые ссылаются рекомендации",
        "sources_intro": "Номера в квадратных скобках выше отсылают к этому списку; каждый адрес — ссылка.",
        "more_answers": "Также основано на ответах", "more_reasons": "других причин не показано: {count}",
        "factors": "потребность {need} × качество {quality} × адаптация {tailoring} × срочность {urgency}",
        "legal": "Правовая база", "legal_intro": "Сведения базы знаний о стране ({country}) с источниками "
                                                 "каждой записи.",
        "instruments": "Международные договоры", "instrument": "Договор", "date": "Дата",
        "laws": "Национальные законы, планы и механизмы", "kind": "Вид", "title_col": "Название",
        "latest_tier": "Последняя категория в докладе TIP США: {tier} ({year}).",
        "conflict": "источники расходятся", "none_recorded": "Сведений нет.",
        "annex": "Приложение: все ответы", "annex_intro": "Все вопросы вопросника версии {version}: данный "
                                                          "ответ, его оценка (0–1) и примечание организации.",
        "question": "Вопрос", "answer": "Ответ", "note": "Примечание", "answer_evidence": "Подтверждающие материалы",
        "methodology": "Методика",
        "rules_used": "Правила, по которым получены рекомендации",
        "no_country_facts": "Сведения о стране не использовались.",
        "code": "Код",
        "selected": "Организация выбрала рекомендаций: {count} из {total}.",
        "contact": "Контакты",
        "found": "Что выявлено", "asked_of": "Что и от кого требуется",
        "found_overall": "{country}: общая оценка {overall} % (уровень {rating}).",
        "found_no_overall": "Общей оценки нет: оценка есть не у всех направлений.",
        "found_weakest_one": "Самое слабое направление — {pillars}.",
        "found_weakest": "Самые слабые направления — {pillars}.",
        "pillar_score": "{pillar} ({score} %, уровень {rating})",
        "pillar_capped": "{pillar} ({score} %, уровень {rating}, ограничено критическим ответом)",
        "found_unscored": "Слишком мало ответов для оценки: {pillars}.",
        "found_complete": "Организация ответила на {answered} из {asked} заданных вопросов ({completeness} %).",
        "found_dont_know": "Ответов «не знаю» среди них: {count}. Они говорят о нехватке сведений, а не о провале, "
                           "и не входят в оценки.",
        "found_facts": "Сведения базы знаний о стране ({country}) выявляют пробелы; известных практик, которые их "
                       "устраняют: {count}.",
        "found_gaps": "Самые срочные пробелы:",
        "asks_intro": "Самые срочные рекомендации по исполнителям:",
        "asks_more": "Все рекомендации ({total}) описаны в следующей главе.",
        "chart_alt": "Столбчатая диаграмма оценок по направлениям, от 0 до 100: {scores}.",
        "priorities": "Приоритет каждой рекомендации",
        "priorities_intro": "Приоритет каждой рекомендации и его коэффициенты, чтобы порядок можно было пересчитать.",
        "draft_translation": "Текст этого документа на этом языке — черновой перевод, эксперты его ещё не проверили.",
        "fallback_ru": "Тексты с пометкой RU даны на русском языке: их перевода на этот язык пока нет.",
        "fallback_en": "Тексты с пометкой EN даны на английском языке: их перевода на этот язык пока нет.",
        "article": "ст. {article}",
    },
}

# Babel's locale for each language's dates: British English writes "29 November 2026".
DATE_LOCALES = {"en": "en_GB"}


@lru_cache(maxsize=len(LANGUAGES))
def words(lang: str) -> dict[str, str]:
    """Return the report's fixed wording in one language (a missing translation in its fallback language)."""
    return localised_words(WORDS, lang)


def long_date(value: date | str | None, lang: str) -> str:
    """Return a date as the language writes it ("29 November 2026", "29 ноября 2026 г."); a year or other text comes
    back unchanged."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, "long", locale=DATE_LOCALES.get(lang, lang))


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """Return a number with a fixed count of decimals and the language's decimal sign (a comma in Russian); "—" for
    None."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.replace(".", _decimal(lang)) if digits else text


@lru_cache(maxsize=len(LANGUAGES))
def _decimal(lang: str) -> str:
    return get_decimal_symbol(DATE_LOCALES.get(lang, lang))
