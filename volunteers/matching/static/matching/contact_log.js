// The contact-log page: a search box that filters the signposting list as
// the volunteer types, and "More" unfolded when a restored draft filled
// something in it. Without script every tick box is still there and works.
(function () {
  "use strict";
  function filterSignposts(box, list) {
    var query = box.value.trim().toLowerCase();
    var shown = 0;
    list.querySelectorAll("[data-signpost]").forEach(function (row) {
      var match = query === "" || row.textContent.toLowerCase().indexOf(query) !== -1;
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    // While searching, the services elsewhere are searched too.
    var elsewhere = list.querySelector("[data-signposting-elsewhere]");
    if (elsewhere && query !== "") { elsewhere.open = true; }
    list.querySelector("[data-signposting-none]").hidden = shown !== 0;
  }
  function holdsSomething(details) {
    return Array.prototype.some.call(details.querySelectorAll("input, textarea"), function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
      if (el.type === "search") { return false; }
      return el.value.trim() !== "";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signposting]").forEach(function (list) {
      var box = list.querySelector("[data-signposting-search]");
      box.hidden = false;
      box.addEventListener("input", function () { filterSignposts(box, list); });
    });
  });
  // After draft.js restored a half-written log (on DOMContentLoaded).
  window.addEventListener("load", function () {
    document.querySelectorAll("details[data-more]").forEach(function (more) {
      if (holdsSomething(more)) { more.open = true; }
      more.querySelectorAll("[data-signposting-elsewhere]").forEach(function (elsewhere) {
        if (holdsSomething(elsewhere)) { elsewhere.open = true; }
      });
    });
  });
})();
