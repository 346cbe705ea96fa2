// The volunteer's phone app, page side (the worker is /sw.js):
// - registers the worker and asks it, now and then, to keep her families and their forms;
// - a contact log, a planned visit or a concern sent without signal (or whose
//   request fails or times out) waits on the phone (IndexedDB, with its
//   client_key) and is sent when the signal returns: the server keeps it once,
//   however often it arrives;
// - what the server refuses stays on the phone, shown with the reason, until
//   she discards it: typed text is never thrown away silently;
// - signing out warns first when something is not sent yet.
// No inline script (Content-Security-Policy): settings come from the script tag.
(function () {
  "use strict";
  var script = document.currentScript;
  var config = script ? script.dataset : {};
  var DB_NAME = "phone-app";
  var STORE = "outbox";
  var SEND_TIMEOUT_MS = 20000;
  var RETRY_MS = 60000;
  var KEEP_EVERY_MS = 30 * 60000;
  var WAITING = "Saved on this phone — will send when you're back online.";
  var sending = false;

  // --- The outbox (IndexedDB) -------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function allItems() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function putItem(item) { return withStore("readwrite", function (store) { store.put(item); }); }
  function dropItem(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  // --- Words ----------------------------------------------------------------------
  function counted(items) {
    var counts = {};
    items.forEach(function (item) { counts[item.what] = (counts[item.what] || 0) + 1; });
    var parts = Object.keys(counts).map(function (what) {
      return counts[what] + " " + what + (counts[what] > 1 ? "s" : "");
    });
    var total = items.length;
    return parts.join(" and ") + (total > 1 ? " are" : " is");
  }
  function about(item) { return item.what + (item.family ? " for " + item.family : ""); }
  function typedText(item) {
    return item.readable.map(function (pair) { return pair[0] + ": " + pair[1]; }).join("\n");
  }

  // --- The status area (top of the page) ------------------------------------------
  function statusArea() {
    var area = document.querySelector("[data-phone-status]");
    if (!area) {
      area = document.createElement("div");
      area.setAttribute("data-phone-status", "");
      area.setAttribute("role", "status");
      area.setAttribute("aria-live", "polite");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(area, main.firstChild);
    }
    return area;
  }
  function note(text, kind) {
    var p = document.createElement("div");
    p.className = "alert alert-" + (kind || "info");
    p.textContent = text;
    statusArea().appendChild(p);
    return p;
  }
  function showOutbox() {
    return allItems().then(function (items) {
      var area = statusArea();
      area.querySelectorAll("[data-outbox]").forEach(function (el) { el.remove(); });
      var waiting = items.filter(function (item) { return item.state !== "refused"; });
      // Nothing waits any more (sent, or refused): "Saved on this phone" is no longer true.
      if (!waiting.length) { area.querySelectorAll("[data-just-saved]").forEach(function (el) { el.remove(); }); }
      // Just saved: that line already says it.
      if (waiting.length && !area.querySelector("[data-just-saved]")) {
        var line = note(counted(waiting) + " saved on this phone — will send when you're back online.", "warning");
        line.setAttribute("data-outbox", "");
        if (waiting.some(function (item) { return item.state === "sign-in"; })) {
          line.textContent += " Sign in again to send.";
        }
      }
      items.filter(function (item) { return item.state === "refused"; }).forEach(function (item) {
        area.appendChild(refusedPanel(item));
      });
    }).catch(function () { /* no IndexedDB (private mode): nothing waits */ });
  }
  function refusedPanel(item) {
    var box = document.createElement("section");
    box.className = "alert alert-danger";
    box.setAttribute("data-outbox", "");
    var heading = document.createElement("h2");
    heading.className = "h6";
    heading.id = "not-sent-" + item.key;
    box.setAttribute("aria-labelledby", heading.id);
    heading.textContent = "Not sent: " + about(item);
    var why = document.createElement("ul");
    item.reasons.forEach(function (reason) {
      var li = document.createElement("li");
      li.textContent = reason;
      why.appendChild(li);
    });
    var todo = document.createElement("p");
    todo.textContent = "Your words are kept below. Copy them, then call your coordinator: they can record it for you " +
      "or tell you what to do. Discard it from this phone when you no longer need it.";
    var label = document.createElement("label");
    label.className = "form-label";
    label.textContent = "What you wrote";
    var text = document.createElement("textarea");
    text.className = "form-control mb-2";
    text.readOnly = true;
    text.rows = 4;
    text.value = typedText(item);
    text.id = "kept-" + item.key;
    label.htmlFor = text.id;
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-danger";
    discard.textContent = "Discard it from this phone";
    discard.addEventListener("click", function () {
      if (window.confirm("Discard this " + item.what + " from this phone? It cannot be brought back.")) {
        dropItem(item.key).then(showOutbox);
      }
    });
    [heading, why, todo, label, text, discard].forEach(function (el) { box.appendChild(el); });
    return box;
  }

  // --- Sending ----------------------------------------------------------------------
  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }
  function reasonsIn(doc) {
    var found = [];
    doc.querySelectorAll("main .invalid-feedback, main .alert-danger, main .alert-block").forEach(function (el) {
      var text = el.textContent.replace(/\s+/g, " ").trim();
      if (text && found.indexOf(text) < 0) { found.push(text); }
    });
    return found.length ? found : ["The server did not accept it."];
  }
  function timed(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    options.signal = controller.signal;
    options.credentials = "same-origin";
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }
  function post(url, fields, token) {
    var body = new FormData();
    fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.append("csrfmiddlewaretoken", token);
    // Sent with X-Phone-Queue, a saved form answers 204 (operations/core/forms.py saved_answer), so
    // a redirect here is never "saved": it is the sign-in page. Not followed, so the page the form
    // leads to keeps its message.
    return timed(url, { method: "POST", body: body, redirect: "manual", headers: { "X-Phone-Queue": "1" } });
  }
  // Sends one waiting item: resolves "sent", "refused", "sign-in" or "later".
  function sendItem(item) {
    // The form again, for a fresh CSRF token (and to learn whether she is still signed in).
    return timed(item.url, { method: "GET" }).then(function (page) {
      if (page.redirected && config.login && new URL(page.url).pathname === config.login) { return "sign-in"; }
      if (page.status === 404) {
        item.reasons = ["This family is no longer on your list, so it cannot be sent."];
        return "refused";
      }
      if (!page.ok) { return "later"; }
      return page.text().then(function (html) {
        var input = parse(html).querySelector("input[name=csrfmiddlewaretoken]");
        if (!input) { return "later"; }
        return post(item.url, item.fields, input.value).then(function (answer) {
          if (answer.status === 204) { return "sent"; }
          if (answer.type === "opaqueredirect" || (answer.status >= 300 && answer.status < 400)) { return "sign-in"; }
          if (answer.status === 400) {
            return answer.text().then(function (body) { item.reasons = reasonsIn(parse(body)); return "refused"; });
          }
          return "later";
        });
      });
    });
  }
  function sendWaiting() {
    if (sending) { return Promise.resolve(); }
    if (!navigator.onLine) { return showOutbox(); }
    sending = true;
    return allItems().then(function (items) {
      var waiting = items.filter(function (item) { return item.state !== "refused"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (go) {
          if (!go) { return false; }
          return sendItem(item).then(function (outcome) {
            if (outcome === "sent") {
              return dropItem(item.key).then(function () { note("Sent: " + about(item) + ".", "success"); return true; });
            }
            if (outcome === "later") { return false; }
            item.state = outcome;
            return putItem(item).then(function () { return outcome !== "sign-in"; });
          }, function () { return false; /* no connection after all: try again later */ });
        });
      }, Promise.resolve(true));
    }).catch(function () { /* no IndexedDB */ }).then(function () {
      sending = false;
      return showOutbox();
    });
  }

  // --- The forms ----------------------------------------------------------------------
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function draftKeyOf(form) {
    try {
      var raw = window.localStorage.getItem(form.getAttribute("data-draft-key"));
      return raw ? JSON.parse(raw).client_key : null;
    } catch (e) { return null; }
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function words(el) { return el ? el.textContent.replace(/\*/g, "").replace(/\s+/g, " ").trim() : ""; }
  function labelFor(el) { return el.id ? words(document.querySelector('label[for="' + el.id + '"]')) : ""; }
  // What she typed and chose, as she would read it ("How: Home visit", "Date: 7 Dec 2026"),
  // shown back if the server refuses it.
  function readableOf(form) {
    var pairs = [];
    var groups = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!el.checked) { return; }
        var legend = el.closest("fieldset") && el.closest("fieldset").querySelector("legend");
        var name = words(legend) || el.name;
        if (!(name in groups)) { groups[name] = []; pairs.push([name, groups[name]]); }
        groups[name].push(labelFor(el));
        return;
      }
      var value = el.tagName === "SELECT" ? words(el.options[el.selectedIndex]) : el.value.trim();
      if (el.type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        var d = value.split("-");
        value = Number(d[2]) + " " + MONTHS[Number(d[1]) - 1] + " " + d[0];
      }
      if (value) { pairs.push([labelFor(el) || el.name, value]); }
    });
    return pairs.map(function (pair) { return [pair[0], Array.isArray(pair[1]) ? pair[1].join(", ") : pair[1]]; });
  }
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") { fields.push([name, value]); }
    });
    return fields;
  }
  function keep(form) {
    var keyField = form.elements.client_key;
    var item = {
      key: keyField.value,
      url: form.getAttribute("action") || window.location.pathname + window.location.search,
      what: form.getAttribute("data-phone-queue"),
      // The family named by the page, or the one chosen on it (a concern opened from home).
      family: form.getAttribute("data-family") || labelFor(form.querySelector("input[name=match]:checked") || {}),
      fields: fieldsOf(form),
      readable: readableOf(form),
      savedAt: new Date().toISOString(),
      state: "waiting",
      reasons: []
    };
    return putItem(item).then(function () {
      // The words now live in the outbox: the draft goes, and the next record gets a key of its own.
      try { window.localStorage.removeItem(form.getAttribute("data-draft-key")); } catch (e) { /* ignore */ }
      form.reset();
      keyField.value = newKey();
      statusArea().querySelectorAll("[data-just-saved]").forEach(function (el) { el.remove(); });
      note(WAITING, "warning").setAttribute("data-just-saved", "");
      return showOutbox();
    });
  }
  function prepare(form) {
    var keyField = form.elements.client_key;
    if (!keyField) { return; }
    // A page kept on the phone carries the key it was made with: reuse it only for the same draft.
    var serverFilled = form.querySelector(".is-invalid, .invalid-feedback") !== null;
    if (!serverFilled) { keyField.value = draftKeyOf(form) || newKey(); }
    form.addEventListener("submit", function (event) {
      if (!window.indexedDB || !window.fetch) { return; } // an old browser: the plain form
      event.preventDefault();
      if (!keyField.value) { keyField.value = newKey(); }
      var button = form.querySelector("[type=submit]");
      if (button) { button.disabled = true; }
      var done = function () { if (button) { button.disabled = false; } };
      if (!navigator.onLine) { keep(form).then(done, done); return; }
      var url = form.getAttribute("action") || window.location.pathname + window.location.search;
      var token = form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "";
      post(url, fieldsOf(form), token).then(function (answer) {
        if (answer.status === 204) {
          // Kept on the server: say so at once (on a slow network the next page takes a while),
          // then open the page the form leads to, which carries the server's own message.
          var family = form.getAttribute("data-family");
          note("Saved: " + form.getAttribute("data-phone-queue") + (family ? " for " + family : "") + ".", "success");
          try { window.localStorage.removeItem(form.getAttribute("data-draft-key")); } catch (e) { /* ignore */ }
          window.location.assign(form.getAttribute("data-done-url"));
        } else if (answer.status === 400) {
          // Field errors, nothing written: the server's own page shows them beside the fields.
          HTMLFormElement.prototype.submit.call(form);
        } else {
          // A page kept from earlier (its token is stale) or a server in trouble: kept, and sent
          // with a fresh token, now or later.
          keep(form).then(sendWaiting).then(done, done);
        }
      }, function () {
        // No reply (no signal, or it timed out): kept, and sent once the signal is back.
        keep(form).then(done, done);
      });
    });
  }

  // --- Signing out ----------------------------------------------------------------------
  function guardSignOut(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed) { return; }
      event.preventDefault();
      allItems().catch(function () { return []; }).then(function (items) {
        var go = !items.length || window.confirm(
          counted(items) + " not sent yet. If you sign out now, it is lost from this phone. Sign out anyway?");
        if (!go) { return; }
        // The sign-out answer clears the rest (Clear-Site-Data); older browsers get it done here.
        var clearing = [];
        if (window.caches) {
          clearing.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
        }
        if (window.indexedDB) { window.indexedDB.deleteDatabase(DB_NAME); }
        Promise.all(clearing).catch(function () { return null; }).then(function () {
          form.dataset.confirmed = "1";
          HTMLFormElement.prototype.submit.call(form);
        });
      });
    });
  }

  // --- The worker ----------------------------------------------------------------------
  function keepFamilies() {
    if (!("serviceWorker" in navigator) || !config.worker) { return; }
    navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function () { return null; });
    if (!navigator.onLine) { return; }
    var last = 0;
    try { last = Number(window.localStorage.getItem("phone-kept-at")) || 0; } catch (e) { /* ignore */ }
    if (Date.now() - last < KEEP_EVERY_MS) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      registration.active.postMessage({ type: "keep-families" });
      try { window.localStorage.setItem("phone-kept-at", String(Date.now())); } catch (e) { /* ignore */ }
    });
  }

  // --- The offline page: the families the phone keeps ------------------------------------
  function listFamilies(list) {
    fetch(config.families, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
      body.families.forEach(function (family) {
        var li = document.createElement("li");
        li.className = "list-group-item";
        var name = document.createElement("strong");
        name.textContent = family.name;
        var next = document.createElement("div");
        next.textContent = "Next visit: " + family.next_visit;
        var safe = document.createElement("div");
        safe.className = "small";
        safe.textContent = family.safe_contact;
        var log = document.createElement("a");
        log.className = "btn btn-primary mt-2";
        log.href = family.log_url;
        log.textContent = "Log a contact";
        [name, next, safe, log].forEach(function (el) { li.appendChild(el); });
        list.appendChild(li);
      });
      list.closest("[hidden]") && list.closest("[hidden]").removeAttribute("hidden");
    }).catch(function () { /* nothing kept yet */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-phone-queue]").forEach(prepare);
    if (config.logout) {
      document.querySelectorAll('form[action="' + config.logout + '"]').forEach(guardSignOut);
    }
    var list = document.querySelector("[data-phone-families]");
    if (list) { listFamilies(list); }
    keepFamilies();
    sendWaiting();
    window.addEventListener("online", sendWaiting);
    window.setInterval(sendWaiting, RETRY_MS);
  });
})();
