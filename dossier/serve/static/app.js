/* dossier serve: the little the page needs beyond htmx (no build step, no other library).
   - remembers which fields the adviser visited, so "verplicht veld ontbreekt" waits until a field was left;
   - skips updates that change nothing, so an error is announced (role="alert") once, not at every key;
   - keeps aria-invalid in step with the messages, and moves focus where an action asks. */
(function () {
  "use strict";
  var visited = new Set();

  function isField(el) {
    return el && el.name && el.name.charAt(0) === "/" && el.form && el.form.id === "intake";
  }

  document.addEventListener("focusout", function (event) {
    var el = event.target;
    if (!isField(el) || visited.has(el.name)) return;
    visited.add(el.name);
    var hidden = document.getElementById("_bezocht");
    if (hidden) hidden.value = JSON.stringify(Array.from(visited));
    if (window.htmx && el.value === "") window.htmx.trigger(el.form, "change");
  });

  var restore = null;  // the field being typed in when the fields are redrawn, with its selection

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var detail = event.detail;
    if (detail.target && detail.target.id === "velden") {
      var active = document.activeElement;
      restore = active && active.id ? {id: active.id, start: active.selectionStart, end: active.selectionEnd} : null;
      // keep what was typed while the request was under way
      var twin = restore && detail.fragment.querySelector ? detail.fragment.querySelector("#" + CSS.escape(active.id)) : null;
      if (twin && twin.tagName === "TEXTAREA") twin.textContent = active.value;
      else if (twin && twin.tagName === "INPUT" && twin.type === "text") twin.setAttribute("value", active.value);
    }
    var incoming = detail.fragment;
    if (detail.target && incoming && typeof incoming.innerHTML === "string" &&
        incoming.id === detail.target.id && incoming.innerHTML === detail.target.innerHTML) {
      detail.shouldSwap = false;
    }
  });

  function clearStale() {
    // The server sends the messages of the fields that have one, and the list of those fields.
    var holder = document.getElementById("met-fout");
    if (!holder) return;
    var current;
    try { current = new Set(JSON.parse(holder.textContent || "[]")); } catch (e) { return; }
    document.querySelectorAll(".fout[data-voor]").forEach(function (slot) {
      if (slot.firstChild && !current.has(slot.getAttribute("data-voor"))) slot.textContent = "";
    });
  }

  function syncInvalid() {
    document.querySelectorAll(".fout[data-voor]").forEach(function (slot) {
      var el = document.getElementById(slot.getAttribute("data-voor"));
      if (!el) return;
      var bad = slot.textContent.trim() !== "";
      if (bad) el.setAttribute("aria-invalid", "true"); else el.removeAttribute("aria-invalid");
      var box = el.closest(".veld, .keuzes");
      if (box) box.classList.toggle("heeft-fout", bad);
      var folded = slot.closest("details");
      if (bad && folded) folded.open = true;
    });
  }

  function moveFocus() {
    var holder = document.getElementById("focus-doel");
    if (!holder || !holder.textContent.trim()) return;
    var el = document.getElementById(holder.textContent.trim());
    holder.textContent = "";
    if (!el) return;
    if (!el.matches("input, select, textarea, button, [tabindex]")) {
      el = el.querySelector("input:not([type=hidden]), select, textarea") || el;
    }
    el.focus();
  }

  function restoreFocus() {
    if (!restore) return;
    var el = document.getElementById(restore.id);
    var wanted = restore;
    restore = null;
    if (!el || el === document.activeElement) return;
    el.focus();
    if (typeof wanted.start === "number" && el.setSelectionRange) {
      try { el.setSelectionRange(wanted.start, wanted.end); } catch (e) { /* not a text field */ }
    }
  }

  document.addEventListener("htmx:afterSettle", function () {
    clearStale();
    syncInvalid();
    restoreFocus();
    moveFocus();
  });
  document.addEventListener("DOMContentLoaded", syncInvalid);
})();
