// The text form's helpers: a chosen quick text fills the message (she can
// still change it), and a counter says how many characters and text
// messages it takes (160 in one; 153 each when split; 70/67 with a
// character outside the GSM alphabet, such as an emoji or ą).
(function () {
  "use strict";
  var GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var EXTENDED = "^{}\\[~]|€";

  function segments(text) {
    if (!text) return [0, 0];
    var gsm = true, length = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (GSM.indexOf(c) >= 0) length += 1;
      else if (EXTENDED.indexOf(c) >= 0) length += 2;
      else { gsm = false; break; }
    }
    if (!gsm) {
      length = Array.from(text).length;
      return [length, length <= 70 ? 1 : Math.ceil(length / 67)];
    }
    return [length, length <= 160 ? 1 : Math.ceil(length / 153)];
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.querySelector("textarea[name='body']");
    if (!body) return;
    var counter = document.querySelector("[data-sms-count-for]");
    if (!counter) {
      counter = document.createElement("p");
      counter.className = "small text-body-secondary";
      counter.setAttribute("aria-live", "polite");
      body.parentNode.appendChild(counter);
    }
    function count() {
      var found = segments(body.value);
      counter.textContent = found[0] + " characters: " + found[1] + " text message" + (found[1] === 1 ? "" : "s") + ".";
    }
    body.addEventListener("input", count);
    count();
    var quick = document.querySelector("select[name='quick_text']");
    if (quick) {
      quick.addEventListener("change", function () {
        var template = document.querySelector("template[data-quick-text='" + CSS.escape(quick.value) + "']");
        if (template) { body.value = template.content.textContent; count(); }
      });
    }
  });
})();
