"""Plain-text rendering of the new-report-year checklist."""

from __future__ import annotations

from tipkb.checks.checklist import ChecklistItem
from tipkb.namespaces import KB_IRI

KIND_WORDS = {"tier": "tier rating", "statistic": "statistic", "narrative": "from the report's text"}


def format_checklist(report_year: int, checklist: dict[str, list[ChecklistItem]]) -> str:
    """Return the checklist as text: per country, [x] for what the KB already has for that year."""
    out = [f"What the {report_year} TIP report should update ([x] already recorded for {report_year}):"]
    for code, items in checklist.items():
        todo = sum(not i.done for i in items)
        out += ["", f"{code}  ({todo} to update of {len(items)})"]
        for i in items:
            last = f"last {i.last_year}" if i.last_year else "none yet"
            name = i.subject.removeprefix(KB_IRI)
            out.append(f"  [{'x' if i.done else ' '}] {KIND_WORDS[i.kind]:<22} {name:<50} {last}")
    return "\n".join(out) + "\n"
