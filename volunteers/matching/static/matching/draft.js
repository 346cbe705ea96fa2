// Keeps a half-written contact log on the phone (localStorage) until it is
// saved: restored when the form is opened again, cleared once the match
// page confirms the log was saved. No inline script (Content-Security-Policy).
(function () {
  "use strict";
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }
  function save(form, key) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name + "=" + el.value] = el.checked;
      } else {
        data[el.name] = el.value;
      }
    });
    try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }
  function restore(form, key, serverFilled) {
    var raw = null;
    try { raw = window.localStorage.getItem(key); } catch (e) { return; }
    if (!raw || serverFilled) { return; }
    var data = JSON.parse(raw);
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in data) { el.checked = data[k]; }
      } else if (el.name in data) {
        el.value = data[el.name];
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      try { window.localStorage.removeItem(el.getAttribute("data-clear-draft")); } catch (e) { /* ignore */ }
    });
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = form.getAttribute("data-draft-key");
      // After a failed submit the server re-renders what was typed: keep it.
      restore(form, key, form.querySelector(".is-invalid, .invalid-feedback") !== null);
      form.addEventListener("input", function () { save(form, key); });
      form.addEventListener("change", function () { save(form, key); });
    });
  });
})();
