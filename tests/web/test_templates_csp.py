"""The templates keep to the content security policy: no inline script, no inline style, no `on…=` handler."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
DATA_BLOCKS = {"application/json", "application/ld+json"}  # data for a script to read; a browser never runs it


class Inline(HTMLParser):
    """Collect what a strict CSP would block in one template: inline scripts and styles and event handlers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: tuple[str, int] | None = None  # a <script> or <style> whose body counts, and its line

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        line = self.getpos()[0]
        for name, value in names.items():
            if value is not None and name.startswith("on") and name.isalpha():
                self.found.append(f"line {line}: {name}= handler on <{tag}>")
            if name == "style":
                self.found.append(f"line {line}: style= attribute on <{tag}>")
        if tag == "style" or (tag == "script" and (names.get("type") or "").lower() not in DATA_BLOCKS):
            if tag == "script" and "src" in names:
                self._open = ("script with src", line)
            else:
                self.found.append(f"line {line}: inline <{tag}>")

    def handle_data(self, data):
        if self._open and data.strip():
            self.found.append(f"line {self._open[1]}: a <{self._open[0]}> has a body too")

    def handle_endtag(self, tag):
        self._open = None


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_script_style_or_handler(template):
    parser = Inline()
    parser.feed(template.read_text(encoding="utf-8"))
    assert parser.found == [], f"{template.relative_to(TEMPLATES)}: {parser.found}"


def test_the_checker_finds_what_it_looks_for():
    parser = Inline()
    parser.feed('<script>alert(1)</script><button onclick="go()">x</button><p style="color: red">'
                '<style>p {}</style><script src="/static/a.js"></script>'
                '<script type="application/json">{"a": 1}</script>')
    assert len(parser.found) == 4, parser.found
