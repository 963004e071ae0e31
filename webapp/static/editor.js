// The editor's checkbox lists: a box that hides the choices not matching what is typed, and a live count of
// the chosen ones. Without this script the whole list shows and works; the form sends the same values either way.
(function () {
  "use strict";

  function fold(text) {
    return text.toLocaleLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function setUp(list) {
    var tools = list.querySelector(".checklist-tools");
    var finder = tools && tools.querySelector(".checklist-filter");
    var box = finder && finder.querySelector("input");
    var count = tools && tools.querySelector(".checklist-count strong");
    var shown = tools && tools.querySelector(".checklist-shown");
    var items = Array.prototype.slice.call(list.querySelectorAll(".checklist-items li"));
    if (!count) {
      return;
    }
    function recount() {
      count.textContent = String(list.querySelectorAll(".checklist-items input:checked").length);
    }
    function filter() {
      var words = fold(box.value).split(" ").filter(Boolean), visible = 0;
      items.forEach(function (item) {
        var text = fold(item.textContent);  // a chosen item hidden by the filter is still sent, and counted
        item.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
        visible += item.hidden ? 0 : 1;
      });
      if (shown) {
        shown.hidden = !words.length;
        shown.textContent = words.length ? shown.dataset.text.replace("{n}", String(visible)) : "";
      }
    }
    list.addEventListener("change", recount);
    recount();
    if (!box) {  // a short list has no filter box
      return;
    }
    finder.hidden = false;
    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // Enter in the box finds; it does not send the form
        event.preventDefault();
      } else if (event.key === "Escape" && box.value) {
        box.value = "";
        filter();
      }
    });
    filter();
  }

  document.querySelectorAll("fieldset.checklist").forEach(setUp);
})();
