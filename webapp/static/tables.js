// Wide tables: a box that scrolls sideways is made reachable from the keyboard and named for screen readers,
// only while it is wider than the screen (a box that fits needs no tab stop). Boxes whose template already
// made them focusable are left as they are.
(function () {
  "use strict";

  function name(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var part = box.closest("section, details, main");
    var heading = part && part.querySelector("h1, h2, h3, summary");
    return (heading ? heading.textContent : document.title).trim();
  }

  function mark() {
    document.querySelectorAll(".table-scroll, .table-wrap").forEach(function (box) {
      if (box.dataset.scrollMarked === undefined) box.dataset.scrollMarked = box.hasAttribute("tabindex") ? "template" : "";
      if (box.dataset.scrollMarked === "template") return;
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-labelledby")) {  // "Table: …", not the section's own name again
          box.setAttribute("aria-label", (document.body.dataset.tableLabel || "{name}").replace("{name}", name(box)));
        }
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark);
  else mark();
  window.addEventListener("resize", mark);
  document.addEventListener("toggle", mark, true);  // a table inside <details> takes its width when opened
})();
