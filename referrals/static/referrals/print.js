// "Print or save as PDF": opens the browser's print dialogue. Without
// JavaScript the link reloads this page, which is itself the printable view.
// No inline script (Content-Security-Policy).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-print]");
    if (!link) { return; }
    event.preventDefault();
    window.print();
  });
})();
