"""The country page and wide tables in a real browser, on a desktop and a phone, in English and Russian."""

# The smallest text drawn in any visible chart (CSS pixels), text cut off at a chart's left edge, and how much wider
# than the screen the page is.
MEASURE = """() => {
  const charts = [...document.querySelectorAll('svg.chart')].filter(svg => svg.getClientRects().length);
  const texts = charts.flatMap(svg => [...svg.querySelectorAll('text')].map(t => ({svg, t})));
  const sizes = texts.map(({svg, t}) =>
    parseFloat(t.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
  return {charts: charts.length, smallest: sizes.length ? Math.min(...sizes) : null,
          clipped: texts.filter(({t}) => t.getBBox().x < 0).map(({t}) => t.textContent),
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def test_country_page_fits_and_stays_readable_on_desktop_and_phone(live_server, page, artifacts):
    for lang in ("en", "ru"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server}/countries/KG?lang={lang}")
            page.screenshot(path=str(artifacts / f"country-kg-{lang}-{width}.png"), full_page=True)
            seen = page.evaluate(MEASURE)
            where = f"{lang} at {width} px"
            assert seen["overflow"] <= 0, f"{where}: the page scrolls sideways; wide tables scroll in their box"
            if width >= 1000:
                assert seen["charts"] == 2 and seen["smallest"] >= 12, where
                assert seen["clipped"] == [], f"{where}: chart labels cut off"
            else:  # on a phone the charts give way to the tables of the same figures
                assert seen["charts"] == 0, where
                assert page.locator("#h-stats ~ .table-scroll table").is_visible()
            differ = page.locator("#h-stats ~ .table-scroll tr.differ").first
            differ.locator("summary").click()
            assert differ.locator("details li").count() == 2
            assert differ.locator("details li a[href*='2022-trafficking-in-persons-report']").is_visible()
    boxes = page.locator(".table-scroll")
    assert boxes.count() == 4
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label").startswith("Таблица: ")
    stats = page.locator("#h-stats ~ .table-scroll")
    assert stats.evaluate("box => box.scrollWidth > box.clientWidth"), "the statistics table is wider than a phone"
    stats.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#h-stats ~ .table-scroll').scrollLeft > 0")
    # Any other wide table (class table-wrap or table-scroll) becomes a named, focusable region while it overflows.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server}/instruments/ilo-c029?lang=en")
    box = page.locator(".table-wrap").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label") == "Table: Forced Labour Convention, 1930 (No. 29)"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("() => !document.querySelector('.table-wrap').hasAttribute('tabindex')")
    assert box.get_attribute("role") is None
