// The SPARQL page after a syntax error: the cursor goes to the line and column the parser names.
(function () {
  "use strict";
  var box = document.querySelector("textarea[data-error-line]");
  if (!box) {
    return;
  }
  var line = parseInt(box.dataset.errorLine, 10), column = parseInt(box.dataset.errorColumn, 10);
  var lines = box.value.split("\n"), offset = 0;
  for (var n = 0; n < line - 1 && n < lines.length; n += 1) {
    offset += lines[n].length + 1;
  }
  offset += Math.max(0, Math.min(column - 1, (lines[line - 1] || "").length));
  box.focus();
  box.setSelectionRange(offset, offset);
})();
