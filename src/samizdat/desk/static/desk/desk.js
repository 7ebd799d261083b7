// The comments desk: actions without a reload, undo, and WordPress's keyboard shortcuts.
//
// Every button is a plain POST form that works without this script. With it, a form
// is sent with fetch and the server answers with the rows as they now are, a message,
// and an undo token; the rows are swapped in place and the counts updated.
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  if (!desk) return;
  var notice = document.getElementById("desk-notice");
  var keys = document.getElementById("desk-keys");
  var lastUndo = null;
  var current = null;

  function rows() { return Array.prototype.slice.call(desk.querySelectorAll(".desk-row")); }

  function select(row, focus) {
    if (current) current.classList.remove("is-current");
    current = row;
    if (!row) return;
    row.classList.add("is-current");
    if (focus !== false) row.focus({preventScroll: false});
  }

  function token() {
    var input = desk.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(message, error, undo) {
    notice.hidden = false;
    notice.classList.toggle("error", !!error);
    notice.textContent = "";
    var text = document.createElement("span");
    text.className = "desk-notice-text";
    text.textContent = message;
    notice.appendChild(text);
    if (undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Undo";
      button.addEventListener("click", function () { sendUndo(undo); });
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(button);
    }
  }

  function updateCounts(counts, pending) {
    if (!counts) return;
    Object.keys(counts).forEach(function (key) {
      desk.querySelectorAll('[data-count="' + key + '"]').forEach(function (el) {
        el.textContent = "(" + counts[key] + ")";
      });
    });
    document.querySelectorAll("[data-pending-badge]").forEach(function (el) {
      el.textContent = pending;
      el.hidden = !pending;
    });
  }

  function swap(data) {
    var focusId = current && current.dataset.id;
    (data.removed || []).forEach(function (id) {
      var row = document.getElementById("desk-comment-" + id);
      if (row) row.remove();  // deleted for good
    });
    Object.keys(data.rows).forEach(function (id) {
      var html = data.rows[id];
      var row = document.getElementById("desk-comment-" + id);
      var holder = document.createElement("ol");
      holder.innerHTML = html.trim();
      var fresh = holder.firstElementChild;
      if (row) {
        row.replaceWith(fresh);
      } else {
        var list = document.getElementById("desk-rows");
        if (list) list.insertBefore(fresh, list.firstChild);
      }
    });
    var again = focusId && document.getElementById("desk-comment-" + focusId);
    if (again) select(again);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"X-Desk": "1", "Accept": "application/json"},
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("The server did not answer as expected (status " + response.status + "). Reload the page.");
      }
      return response.json();
    }).then(function (data) {
      if (!data.ok) { say(data.message, true); return; }
      swap(data);
      updateCounts(data.counts, data.pending);
      lastUndo = data.undo || null;
      say(data.message, false, data.undo);
    }).catch(function (error) { say(error.message, true); });
  }

  function sendUndo(undoToken) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    body.append("token", undoToken);
    lastUndo = null;
    return post(desk.dataset.undoUrl, body);
  }

  desk.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var confirmText = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (confirmText && !window.confirm(confirmText)) { event.preventDefault(); return; }
    if (form.classList.contains("desk-empty-form")) return;  // a full page: the queue changes
    event.preventDefault();
    var body = new FormData(form, submitter);
    if (form.id === "bulk-form" && !body.getAll("ids").length) {
      say("Select one or more comments first (x selects the current one).", true);
      return;
    }
    // getAttribute: a control named "action" shadows form.action.
    post(form.getAttribute("action"), body);
  });

  function isTyping(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  function rowButton(row, action) {
    return row && row.querySelector('.desk-actions button[value="' + action + '"]');
  }

  function openDetails(row, selector) {
    var details = row && row.querySelector(selector);
    if (!details) return;
    details.open = true;
    var field = details.querySelector("textarea");
    if (field) field.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && isTyping(event.target)) {
      var open = event.target.closest("details");
      if (open) { open.open = false; select(open.closest(".desk-row")); }
      return;
    }
    if (isTyping(event.target)) return;
    var list = rows();
    var index = current ? list.indexOf(current) : -1;
    var handled = true;
    switch (event.key) {
      case "j": select(list[Math.min(index + 1, list.length - 1)] || null); break;
      case "k": select(list[Math.max(index - 1, 0)] || null); break;
      case "a": case "u": case "s": case "d": {
        var action = {a: "approve", u: "unapprove", s: "spam", d: "trash"}[event.key];
        var button = rowButton(current, action);
        if (button) button.form.requestSubmit(button);
        break;
      }
      case "z": if (lastUndo) sendUndo(lastUndo); break;
      case "r": openDetails(current, ".desk-reply"); event.preventDefault(); break;
      case "q": openDetails(current, ".desk-edit"); event.preventDefault(); break;
      case "x": {
        var box = current && current.querySelector(".desk-select");
        if (box) box.checked = !box.checked;
        break;
      }
      case "?": if (keys && keys.showModal) keys.showModal(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  desk.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest(".desk-row");
    if (row && row !== current) select(row, false);
  });
})();
