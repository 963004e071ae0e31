// Questionnaire improvements: live skip logic, autosave of each change, and answers kept in
// localStorage until the server has them (a closed tab, a lost connection or an ended session
// loses nothing: they are sent again on the next visit, after logging in if need be).
(function () {
  "use strict";
  // Any page: a form that cannot reach the server while offline stays on the page and says why.
  document.querySelectorAll("form.offline-guard").forEach(function (guarded) {
    guarded.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) return;
      event.preventDefault();
      var note = guarded.querySelector("[data-offline]");
      if (note) note.textContent = note.dataset.offline;
    });
  });
  // Deleting a draft forgets the answers this browser still keeps for it.
  document.querySelectorAll("form[data-forget]").forEach(function (deleting) {
    deleting.addEventListener("submit", function () {
      try { window.localStorage.removeItem("tipkb:pending:" + deleting.dataset.forget); } catch (e) { /* none kept */ }
    });
  });

  // Focus the field (or a question's first input) with this id, opening a closed note around it.
  function focusField(id) {
    var target = id && document.getElementById(id);
    if (!target) return false;
    if (target.classList.contains("question")) {
      if (target.hidden) return false;
      target = target.querySelector("input:not([type=hidden]), textarea") || target;
    }
    var around = target.closest("details");
    if (around) around.open = true;
    target.focus();
    return document.activeElement === target;
  }
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link && focusField(link.getAttribute("href").slice(1))) event.preventDefault();
    });
  } else if (window.location.hash) {
    focusField(decodeURIComponent(window.location.hash.slice(1)));
  }

  var form = document.getElementById("section-form");
  var dataNode = document.getElementById("questionnaire-data");
  if (!form || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var answers = data.answers || {};
  var notes = data.notes || {};
  var conditions = data.conditions || {};
  var messages = data.messages || {};
  var status = document.getElementById("autosave-status");
  var key = "tipkb:pending:" + form.dataset.assessment;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var timer = null;
  var sending = false;

  function loadPending() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function storePending(p) {
    try {
      if (Object.keys(p).length) window.localStorage.setItem(key, JSON.stringify(p));
      else window.localStorage.removeItem(key);
    } catch (e) { /* private mode or quota: autosave still works while online */ }
  }

  var lastSaved = status && status.dataset.savedAt ? new Date(status.dataset.savedAt) : null;

  // "Saved at 10:42" in the page language (with the date when it was not today).
  function sayTime() {
    if (!lastSaved || isNaN(lastSaved.getTime())) { say(""); return; }
    var today = lastSaved.toDateString() === new Date().toDateString();
    // a 24-hour clock everywhere, as on the rest of the site (a browser without the language's data says "PM")
    var options = today ? {hour: "2-digit", minute: "2-digit", hourCycle: "h23"}
      : {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
    var text;
    var lang = document.documentElement.lang || undefined;
    if (lang === "en") lang = "en-GB";  // day month year and a 24-hour clock, as on the rest of the site
    try { text = lastSaved.toLocaleString(lang, options); }
    catch (e) { text = lastSaved.toLocaleString(); }
    say((messages.saved || "Saved at {time}").replace("{time}", text));
  }

  function say(text, link) {
    if (!status) return;
    status.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = form.dataset.login;
      a.textContent = messages.loginLink || "Log in";
      status.appendChild(document.createTextNode(" "));
      status.appendChild(a);
    }
  }

  // The fields of one question, as [name, value] pairs (the same names the plain form posts).
  function fieldsOf(box) {
    var code = box.dataset.code;
    var out = [["shown", code]];
    box.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (!el.name || el.name === "shown" || el.form !== form) return;  // evidence fields belong to their own forms
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      out.push([el.name, el.value]);
    });
    return out;
  }

  // The current value of a question as skip logic sees it.
  function valueOf(code) {
    var box = document.getElementById("qq-" + code);
    if (!box) return answers[code];
    var checked = box.querySelectorAll('input[name="q-' + code + '"]:checked');
    if (box.dataset.type === "multiple-choice") {
      return Array.prototype.map.call(checked, function (el) { return el.value; });
    }
    if (checked.length) return checked[0].value;
    return answers[code];
  }

  function chosen(value) {
    if (Array.isArray(value)) return value;
    return value === undefined || value === null ? [] : [String(value)];
  }

  // Mirrors Questionnaire.asked(): a question is asked when every condition's controlling question
  // is asked and answered with one of the listed options.
  function asked(code, seen) {
    var conds = conditions[code];
    if (!conds) return true;
    seen = seen || {};
    if (seen[code]) return false;
    seen[code] = true;
    return conds.every(function (c) {
      var values = chosen(valueOf(c[0]));
      return asked(c[0], seen) && values.some(function (v) { return c[1].indexOf(v) >= 0; });
    });
  }

  function applySkipLogic() {
    form.querySelectorAll(".question").forEach(function (box) {
      box.hidden = !asked(box.dataset.code);
    });
  }

  function showErrors(errors) {
    form.querySelectorAll(".question").forEach(function (box) {
      var code = box.dataset.code;
      var node = document.getElementById("err-" + code);
      if (!node) return;
      var message = errors[code];
      node.textContent = message || "";
      node.hidden = !message;
      box.classList.toggle("invalid", !!message);
      box.querySelectorAll("input[type=text], textarea").forEach(function (el) {
        if (message) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
      });
    });
  }

  function showProgress(p) {
    var bar = document.getElementById("progress");
    var text = document.getElementById("progress-text");
    if (bar) { bar.max = p.asked; bar.value = p.answered; }
    if (text) text.textContent = text.textContent.replace(/\d+(\D+)\d+/, p.answered + "$1" + p.asked);
    Object.keys(p.sections || {}).forEach(function (id) {
      var node = document.querySelector('[data-section-count="' + id + '"]');
      if (node) node.textContent = p.sections[id].answered + "/" + p.sections[id].asked;
    });
  }

  function flush() {
    timer = null;
    var pending = loadPending();
    var codes = Object.keys(pending);
    if (!codes.length && !sending && navigator.onLine !== false) sayTime();
    if (!codes.length || sending) return;
    sending = true;
    say(messages.saving || "Saving…");
    var fields = [];
    codes.forEach(function (c) { fields = fields.concat(pending[c].fields); });
    fetch(form.dataset.autosave, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({fields: fields})
    }).then(function (response) {
      sending = false;
      if (response.status === 409 && response.headers.get("Retry-After")) {  // busy: nothing saved, send again
        say(messages.retry || messages.offline);
        schedule(1000 * Number(response.headers.get("Retry-After")));
        return null;
      }
      if (response.status === 200 || response.status === 422 || response.status === 409 || response.status === 404) {
        var now = loadPending();
        codes.forEach(function (c) {  // drop what was sent, unless it changed meanwhile
          if (now[c] && now[c].stamp === pending[c].stamp) delete now[c];
        });
        storePending(now);
        if (response.status === 409) { say(messages.readonly); return null; }
        if (response.status === 404) return null;
        return response.json().then(function (body) {
          Object.keys(body.asked || {}).forEach(function (c) {
            var box = document.getElementById("qq-" + c);
            if (box) box.hidden = !body.asked[c];
          });
          showErrors(body.errors || {});
          if (body.progress) showProgress(body.progress);
          if (body.updated_at) lastSaved = new Date(body.updated_at);
          if (Object.keys(body.errors || {}).length) say(""); else sayTime();
          if (Object.keys(loadPending()).length) schedule();
        });
      }
      if (response.status === 401 || response.status === 400) { say(messages.login, true); return null; }
      say(messages.offline);
      return null;
    }).catch(function () {
      sending = false;
      say(messages.offline);
    });
  }

  function schedule(delay) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(flush, delay === undefined ? 500 : delay);
  }

  function remember(box) {
    var pending = loadPending();
    pending[box.dataset.code] = {fields: fieldsOf(box), stamp: Date.now() + Math.random()};
    storePending(pending);
  }

  function onChange(event) {
    var box = event.target.closest(".question");
    if (!box || event.target.form !== form) return;
    if (event.target.name && /-dk$/.test(event.target.name) && event.target.checked) {
      var input = box.querySelector('input[type="text"]');
      if (input) input.value = "";
    } else if (event.target.type === "text" && event.target.value) {
      var dk = box.querySelector('input[name$="-dk"]');
      if (dk) dk.checked = false;
    }
    remember(box);
    applySkipLogic();
    schedule(event.type === "input" ? 1200 : 300);
  }

  form.addEventListener("change", onChange);
  form.addEventListener("input", function (event) {
    if (event.target.matches('input[type="text"], textarea')) onChange(event);
  });
  // A plain submit is kept too, in case the session ended: the next page sends it again. Offline, the
  // page stays: the answers wait in this browser and go as soon as the connection is back.
  form.addEventListener("submit", function (event) {
    form.querySelectorAll(".question").forEach(remember);
    if (navigator.onLine === false) {
      event.preventDefault();
      say(messages.offlineSubmit || messages.offline);
      if (status) status.focus();
    }
  });
  window.addEventListener("online", function () { schedule(0); });
  window.addEventListener("offline", function () { say(messages.offline); });

  // Whether remembered fields say what the server already holds (e.g. a plain form post that went through).
  function sameAsStored(code, fields) {
    var name = "q-" + code;
    var sent = fields.filter(function (f) { return f[0] === name && f[1] !== ""; }).map(function (f) { return f[1]; });
    if (fields.some(function (f) { return f[0] === name + "-dk"; })) sent = ["dont-know"];
    var value = answers[code];
    var stored = value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String);
    var note = fields.filter(function (f) { return f[0] === "note-" + code; });
    var sameNote = !note.length || note[0][1].trim() === (notes[code] || "");
    return sameNote && sent.slice().sort().join("\n") === stored.slice().sort().join("\n");
  }

  // Answers left unsent by an earlier visit: show them in this section, then send them all.
  var pending = loadPending();
  Object.keys(pending).forEach(function (code) {
    if (sameAsStored(code, pending[code].fields)) delete pending[code];
  });
  storePending(pending);
  var restored = false;
  Object.keys(pending).forEach(function (code) {
    var box = document.getElementById("qq-" + code);
    if (!box) return;
    var fields = pending[code].fields;
    box.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.name === "shown" || !el.name || el.form !== form) return;
      var values = fields.filter(function (f) { return f[0] === el.name; }).map(function (f) { return f[1]; });
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) >= 0;
      else el.value = values.length ? values[0] : "";
    });
    restored = true;
  });
  applySkipLogic();
  if (Object.keys(pending).length) {
    if (restored) say(messages.restored);
    schedule(0);
  } else if (navigator.onLine === false) {
    say(messages.offline);
  } else {
    sayTime();
  }
})();
