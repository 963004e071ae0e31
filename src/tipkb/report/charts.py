"""Small, dependency-free SVG charts for the web pages and the print reports.

The charts print the names they are given (`tipkb.facts.labels.names`); they hold no names of codes themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from tipkb.i18n import localised

TIER_LEVELS = {"1": 3, "2": 2, "2WL": 1, "3": 0}
# The law-enforcement and identification figures the statistics chart draws (counts on one scale).
CHARTED_INDICATORS = ("victims-identified", "investigations", "prosecutions", "convictions")
COLOURS = ("#0b5cad", "#b35c00", "#2e7d32", "#8e24aa")
# The charts' own words; the other languages translate the English text in the package's catalogue.
WORDS = {
    "tier_title": {"en": "TIP tier by report year", "ru": "Категория доклада TIP по годам"},
    "statistics_title": {"en": "Reported figures by report year", "ru": "Опубликованные показатели по годам доклада"},
    "pillar_title": {"en": "Score by pillar (%)", "ru": "Оценка по направлениям (%)"},
    "no_score": {"en": "no score", "ru": "нет оценки"},
    "earlier": {"en": "earlier", "ru": "ранее"},
}


def tier_chart(tiers: list[dict], tier_names: Mapping[str, str], lang: str = "en", width: int = 640,
               height: int = 200) -> str:
    """Return an SVG step chart of TIP tiers by report year (higher is better), naming tiers by `tier_names`."""

    def name(tier: str) -> str:
        return tier_names.get(tier) or tier

    by_year: dict[int, str] = {}
    for t in sorted(tiers, key=lambda t: (t["report_year"], t.get("confidence") != "high")):
        by_year.setdefault(t["report_year"], t["tier"])
    if not by_year:
        return ""
    years = sorted(by_year)
    longest = max(len(name(tier)) for tier in TIER_LEVELS)
    left, right, top, bottom = max(200, 20 + 7 * longest), 20, 15, 30  # room for the longest tier name
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(len(years) - 1, 1)

    def y(level: int) -> float:
        return top + ph - level * ph / 3

    title = localised(WORDS["tier_title"], lang)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">', f"<title>{escape(title)}</title>"]
    for tier, level in TIER_LEVELS.items():
        yl = f"{y(level):.1f}"
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yl}" y2="{yl}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 8}" y="{y(level) + 4:.1f}" text-anchor="end" font-size="12">'
                     f"{escape(name(tier))}</text>")
    points = [(left + i * step, y(TIER_LEVELS[by_year[yr]])) for i, yr in enumerate(years)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{yy:.1f}" for i, (x, yy) in enumerate(points))
    parts.append(f'<path d="{path}" fill="none" stroke="{COLOURS[0]}" stroke-width="2.5"/>')
    for (x, yy), yr in zip(points, years, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="4.5" fill="{COLOURS[0]}">'
                     f"<title>{yr}: {escape(name(by_year[yr]))}</title></circle>")
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="12">{yr}</text>')
    parts.append("</svg>")
    return "".join(parts)


def statistics_chart(statistics: list[dict], indicator_names: Mapping[str, str], lang: str = "en", width: int = 640,
                     height: int = 240) -> str:
    """Return an SVG line chart of law-enforcement and identification figures by report year."""
    names = {code: indicator_names.get(code) or code for code in CHARTED_INDICATORS}
    series: dict[str, dict[int, float]] = {}
    for s in statistics:
        if s["indicator"] in names and not s.get("conflicts_with"):
            series.setdefault(s["indicator"], {}).setdefault(s["report_year"], s["value"])
    if not series:
        return ""
    years = sorted({yr for points in series.values() for yr in points})
    top_value = max(v for points in series.values() for v in points.values()) or 1
    longest = max(len(names[k]) for k in series)
    left, right, top, bottom = 50, max(170, 36 + 8 * longest), 15, 30  # room for the legend's longest name
    pw, ph = width - left - right, height - top - bottom
    step = pw / max(len(years) - 1, 1)
    xs = {yr: left + i * step for i, yr in enumerate(years)}

    def y(v: float) -> float:
        return top + ph - v * ph / top_value

    title = localised(WORDS["statistics_title"], lang)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">', f"<title>{escape(title)}</title>"]
    for frac in (0, 0.5, 1):
        v = top_value * frac
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:g}</text>')
    for yr in years:
        parts.append(f'<text x="{xs[yr]:.1f}" y="{height - 8}" text-anchor="middle" font-size="12">{yr}</text>')
    for i, (indicator, points) in enumerate(sorted(series.items())):
        colour = COLOURS[i % len(COLOURS)]
        pts = sorted(points.items())
        path = " ".join(f"{'M' if j == 0 else 'L'}{xs[yr]:.1f},{y(v):.1f}" for j, (yr, v) in enumerate(pts))
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for yr, v in pts:
            parts.append(f'<circle cx="{xs[yr]:.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                         f"<title>{escape(names[indicator])}, {yr}: {v:g}</title></circle>")
        ly = top + 14 + i * 18
        parts.append(f'<rect x="{left + pw + 12}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + pw + 26}" y="{ly}" font-size="12">{escape(names[indicator])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def pillar_chart(pillars: list[tuple[str, float | None, float | None]], lang: str = "en", width: int = 640) -> str:
    """Return an SVG bar chart of pillar scores (0–100 %), each bar as (label, score, earlier score or None)."""
    if not pillars:
        return ""
    left, right, row, top = 190, 60, 34, 10
    height = top + row * len(pillars) + 24
    pw = width - left - right
    title, none, earlier = (localised(WORDS[key], lang) for key in ("pillar_title", "no_score", "earlier"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart">', f"<title>{escape(title)}</title>"]
    for frac in (0, 0.5, 1):
        x = left + pw * frac
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 20}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">{frac * 100:.0f}</text>')
    for i, (label, score, before) in enumerate(pillars):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 19}" text-anchor="end" font-size="13">{escape(label)}</text>')
        if score is None:
            parts.append(f'<text x="{left + 6}" y="{y + 19}" font-size="12" fill="#57606a">{none}</text>')
        else:
            w = pw * max(0.0, min(score, 100.0)) / 100
            parts.append(f'<rect x="{left}" y="{y + 6}" width="{w:.1f}" height="18" fill="{COLOURS[0]}">'
                         f"<title>{escape(label)}: {score:.0f} %</title></rect>")
            parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 19}" font-size="12">{score:.0f}</text>')
        if before is not None:
            x = left + pw * max(0.0, min(before, 100.0)) / 100
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 2}" y2="{y + 28}" stroke="{COLOURS[1]}" '
                         f'stroke-width="3"><title>{escape(label)}, {earlier}: {before:.0f} %</title></line>')
    parts.append("</svg>")
    return "".join(parts)
