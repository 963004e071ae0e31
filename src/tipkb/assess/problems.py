"""Problems found in answers: a stable code, the question or field at fault, parameters, and one wording per language.

A check returns `AnswerProblem`s; every front end (CLI, web, API) words them with `message(problem, lang)`,
whose templates below are the only place the wording of a problem exists.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any

from tipkb.errors import TipkbError
from tipkb.i18n import DEFAULT_LANGUAGE, localised

# code → language → template; the fields name the problem's params (see _render for how each is shown). Written in
# English and Russian; the other languages translate the English template in the package's catalogue.
TEMPLATES: dict[str, dict[str, str]] = {
    # one answer
    "expected-one-option": {"en": "expected one of {options}; got {value}",
                            "ru": "ожидается один из вариантов {options}; получено {value}"},
    "unknown-option": {"en": "{option} is not an option; expected one of {options}",
                       "ru": "{option} — не вариант ответа; ожидается один из вариантов {options}"},
    "expected-option-list": {"en": "expected a list of options among {options}; got {value}",
                             "ru": "ожидается список вариантов из {options}; получено {value}"},
    "no-option-chosen": {"en": "choose at least one option, or leave the question out",
                         "ru": "выберите хотя бы один вариант или оставьте вопрос без ответа"},
    "unknown-option-in-list": {"en": "{value} is not an option; expected some of {options}",
                               "ru": "{value} — не вариант ответа; ожидаются варианты из {options}"},
    "option-repeated": {"en": "an option is chosen more than once",
                        "ru": "вариант выбран больше одного раза"},
    "dont-know-combined": {"en": "“Don't know” ('dont-know') cannot be combined with other options",
                           "ru": "«Не знаю» ('dont-know') нельзя сочетать с другими вариантами"},
    "not-text": {"en": "expected some text; got {value}",
                 "ru": "ожидается текст; получено {value}"},
    "text-too-long": {"en": "the text is {length} characters long; at most {max} are accepted",
                      "ru": "длина текста — {length} символов; допускается не больше {max}"},
    "unknown-answer-type": {"en": "the question has an unknown answer type {type} in the KB",
                            "ru": "у вопроса в базе знаний неизвестный тип ответа {type}"},
    "not-a-year": {"en": "expected a year or 'dont-know'; got {value}. "
                         "Enter a year as a whole number, for example 2021",
                   "ru": "ожидается год или 'dont-know'; получено {value}. "
                         "Введите год целым числом, например 2021"},
    "not-a-whole-number": {"en": "expected a whole number or 'dont-know'; got {value}",
                           "ru": "ожидается целое число или 'dont-know'; получено {value}"},
    "not-a-number": {"en": "expected a number or 'dont-know'; got {value}",
                     "ru": "ожидается число или 'dont-know'; получено {value}"},
    "year-not-whole": {"en": "expected a year (a whole number); got {value}",
                       "ru": "ожидается год (целое число); получено {value}"},
    "not-whole": {"en": "expected a whole number; got {value}",
                  "ru": "ожидается целое число; получено {value}"},
    "below-range": {"en": "{value} is below the minimum {min}. Enter a value between {min} and {max}",
                    "ru": "{value} меньше минимума {min}. Введите значение от {min} до {max}"},
    "above-range": {"en": "{value} is above the maximum {max}. Enter a value between {min} and {max}",
                    "ru": "{value} больше максимума {max}. Введите значение от {min} до {max}"},
    "below-minimum": {"en": "{value} is below the minimum {min}. Enter a value of at least {min}",
                      "ru": "{value} меньше минимума {min}. Введите значение не меньше {min}"},
    "above-maximum": {"en": "{value} is above the maximum {max}. Enter a value of at most {max}",
                      "ru": "{value} больше максимума {max}. Введите значение не больше {max}"},
    # answers together
    "unknown-question": {"en": "no such question in questionnaire {version}",
                         "ru": "в анкете версии {version} нет такого вопроса"},
    "not-asked": {"en": "answered, but the question is not asked: it is asked only when {controller} is answered "
                        "{answers}",
                  "ru": "ответ дан, но вопрос не задаётся: он задаётся, только если на {controller} дан ответ "
                        "{answers}"},
    "controller-not-asked": {"en": "answered, but the question is not asked: {controller} is itself not asked",
                             "ru": "ответ дан, но вопрос не задаётся: не задаётся и вопрос {controller}, "
                                   "от которого он зависит"},
    "note-unknown-question": {"en": "a note for a question that is not in questionnaire {version}",
                              "ru": "примечание к вопросу, которого нет в анкете версии {version}"},
    "note-not-text": {"en": "a note must be text; got {value}",
                      "ru": "примечание должно быть текстом; получено {value}"},
    "note-too-long": {"en": "the note is {length} characters long; at most {max} are accepted",
                      "ru": "длина примечания — {length} символов; допускается не больше {max}"},
    # an answers file or a stored assessment
    "not-an-object": {"en": "expected a JSON object; got {value}",
                      "ru": "ожидается объект JSON; получено {value}"},
    "wrong-schema": {"en": "expected {expected}; got {value}",
                     "ru": "ожидается {expected}; получено {value}"},
    "version-not-text": {"en": "expected the questionnaire version as text, e.g. {expected}; got {value}",
                         "ru": "ожидается версия анкеты в виде текста, например {expected}; получено {value}"},
    "other-version": {"en": "the answers are for questionnaire version {version}, but the questionnaire in use is "
                            "version {current}",
                      "ru": "ответы относятся к анкете версии {version}, а используется анкета версии {current}"},
    "stored-other-version": {"en": "made with questionnaire {version}; the questionnaire in use is {current}",
                             "ru": "заполнено по анкете версии {version}; используется анкета версии {current}"},
    "unknown-key": {"en": "unknown key; the file may hold only {keys}",
                    "ru": "неизвестный ключ; файл может содержать только {keys}"},
    "answers-not-an-object": {"en": "expected an object of question code → answer; got {value}",
                              "ru": "ожидается объект «код вопроса → ответ»; получено {value}"},
    "notes-not-an-object": {"en": "expected an object of question code → note; got {value}",
                            "ru": "ожидается объект «код вопроса → примечание»; получено {value}"},
    "invalid-country": {"en": "expected an ISO 3166-1 alpha-2 code such as 'KG'; got {value}",
                        "ru": "ожидается код ISO 3166-1 alpha-2, например 'KG'; получено {value}"},
    "invalid-year": {"en": "expected a year between {min} and {max}; got {value}",
                     "ru": "ожидается год от {min} до {max}; получено {value}"},
    "invalid-organisation": {"en": "a name is required; got {value}",
                             "ru": "требуется название организации; получено {value}"},
    "required": {"en": "required to store an assessment",
                 "ru": "обязательно для сохранения оценки"},
    "import-duplicate": {"en": "a second submission for {country} {year} (the first is row {row}): one draft per "
                               "country and year",
                         "ru": "вторая анкета по {country} за {year} год (первая — в строке {row}): один черновик "
                               "на страну и год"},
    "import-empty": {"en": "the file holds no submissions",
                     "ru": "в файле нет ни одной анкеты"},
    "import-no-version": {"en": "no questionnaire version: export the {field} column (or FormVersion) with the data",
                          "ru": "не указана версия анкеты: выгрузите вместе с данными столбец {field} "
                                "(или FormVersion)"},
    "import-draft-exists": {"en": "the organisation already has a draft for {country} {year}: resume or delete it "
                                  "first",
                            "ru": "у организации уже есть черновик по {country} за {year} год: сначала продолжите "
                                  "или удалите его"},
    "import-label-headers": {"en": "the columns are headed by question texts ({count} of them), not by question "
                                   "codes: export again from KoboToolbox with the value and header format "
                                   "“XML values and headers”",
                             "ru": "столбцы озаглавлены текстами вопросов (таких столбцов: {count}), а не кодами "
                                   "вопросов: выгрузите данные из KoboToolbox заново, выбрав формат значений "
                                   "и заголовков “XML values and headers” (XML-значения и заголовки)"},
    "not-utf8": {"en": "{path}: not UTF-8 text",
                 "ru": "{path}: это не текст в кодировке UTF-8"},
    "not-json": {"en": "{path}: not valid JSON: {error} at line {line}, column {column}",
                 "ru": "{path}: некорректный JSON: {error}, строка {line}, столбец {column}"},
    "json-not-a-number": {"en": "{path}: {value} is not a number JSON allows",
                          "ru": "{path}: {value} — не число, допустимое в JSON"},
    "json-out-of-range": {"en": "{path}: the number {value} is too large",
                          "ru": "{path}: число {value} слишком велико"},
    "json-too-deep": {"en": "{path}: JSON nested more than {max} levels deep",
                      "ru": "{path}: вложенность JSON глубже {max} уровней"},
    "json-lone-surrogate": {"en": "{path}: a string holds a lone surrogate, which is not a character",
                            "ru": "{path}: строка содержит одиночный суррогат, а это не символ"},
}

_OR = {"en": " or ", "ru": " или "}
_QUOTED = frozenset({"option", "expected", "type"})  # a name or code shown in quotes, as in the answers file


@dataclasses.dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with an answer or an answers file: a stable `code`, the question or field at fault, `params`."""

    code: str
    question: str | None = None
    field: str = "answers"
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """Return the problem in English."""
        return message(self, DEFAULT_LANGUAGE)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Return the problem in `lang`, prefixed with the question code (or the field) it concerns."""
        return f"{self.question or self.field}: {message(self, lang)}"


class AnswerError(TipkbError):
    """Answers are invalid; `problems` lists each one, naming its question."""

    def __init__(self, problems: Iterable[AnswerProblem]):
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} invalid answer{'s' if count != 1 else ''}: " if count > 1 else ""
        super().__init__(head + "; ".join(p.text() for p in self.problems))


def message(problem: AnswerProblem, lang: str) -> str:
    """Return the wording of a problem in `lang` (along its fallback chain when it has none), its params filled in."""
    template = localised(TEMPLATES[problem.code], lang)
    return template.format(**{name: _render(name, value, lang) for name, value in problem.params.items()})


def _render(name: str, value: Any, lang: str) -> str:
    if name == "value":
        return show(value)
    if name in _QUOTED:
        return repr(value)
    if name == "options":
        return ", ".join(repr(v) for v in value)
    if name == "answers":
        return localised(_OR, lang).join(repr(v) for v in value)
    if name == "keys":
        return ", ".join(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return show(value)
    return str(value)


def show(value: Any) -> str:
    """Return a value as it would appear in JSON (a whole float without its ".0"), cut to 60 characters."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
