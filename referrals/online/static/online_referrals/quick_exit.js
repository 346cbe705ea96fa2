/* "Leave this site quickly" on the public referral forms, as domestic abuse
   services do: the button (or the Esc key) hides the page at once and
   replaces it in the browser's history with a neutral site, so the back
   button does not come back here. Without JavaScript the button is a plain
   link to the same site. A static file: the CSP allows no inline script. */
(function () {
  "use strict";

  function leave(event) {
    var link = document.querySelector("[data-quick-exit]");
    if (!link) {
      return;
    }
    if (event) {
      event.preventDefault();
    }
    document.documentElement.classList.add("leaving");
    window.location.replace(link.href);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
      link.addEventListener("click", leave);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      leave(event);
    }
  });
})();
