// The writer's desk: live preview (rendered by the server, as the page is), word count,
// autosave every 10 s of change and when the page is left, and a copy in this browser
// so that text typed when the session had expired comes back after logging in again.
(function () {
  "use strict";
  var form = document.getElementById("writer");
  if (!form) return;
  var body = form.querySelector("#id_body");
  var title = form.querySelector("#id_title");
  var excerpt = form.querySelector("#id_excerpt");
  var preview = document.getElementById("preview");
  var previewTitle = document.getElementById("preview-title");
  var words = document.getElementById("word-count");
  var minutes = document.getElementById("reading-time");
  var status = document.getElementById("autosave-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var postId = form.dataset.post || "";
  var storeKey = "samizdat-draft-" + (postId || "new");
  var timer = null, inFlight = null, queued = false, changed = false, lastSaved = "";

  function fields() {
    return { title: title.value, excerpt: excerpt ? excerpt.value : "", body: body.value };
  }
  function payload(extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("post", postId);
    var f = fields();
    Object.keys(f).forEach(function (k) { data.append(k, f[k]); });
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    return data;
  }

  function refresh() {
    // One request at a time; the newest text goes next (typing fast never queues many).
    if (inFlight) { queued = true; return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("post", postId);
    data.append("body", body.value);
    data.append("sources", JSON.stringify(sourceRows()));
    inFlight = fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (answer) {
          preview.innerHTML = answer.html;  // sanitized by the server (nh3), as on the page
          words.textContent = answer.words;
          minutes.textContent = answer.minutes;
          var flag = document.getElementById("missing-alt");
          document.getElementById("missing-alt-count").textContent = answer.missing_alt;
          flag.hidden = !answer.missing_alt;
          var keys = document.getElementById("missing-keys");
          if (keys) {
            document.getElementById("missing-keys-list").textContent = (answer.missing_keys || []).join(", ");
            keys.hidden = !(answer.missing_keys || []).length;
          }
          preview.dispatchEvent(new CustomEvent("previewed"));
        }
      })
      .catch(function () {})
      .then(function () { inFlight = null; if (queued) { queued = false; refresh(); } });
  }

  function typed() {
    changed = true;
    previewTitle.textContent = title.value;
    try { localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), fields: fields() })); } catch (e) {}
    clearTimeout(timer);
    timer = setTimeout(refresh, 100);
  }

  function autosave(beacon) {
    var now = JSON.stringify(fields());
    if (!changed || now === lastSaved) return;
    var data = payload();
    lastSaved = now;  // sent once: "hidden" and "pagehide" both come when a tab closes
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(form.dataset.autosaveUrl, data);
      return;
    }
    fetch(form.dataset.autosaveUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (answer) {
        if (answer.saved) {
          status.textContent = "Autosaved at " + answer.at;
          if (!postId && answer.post) {
            postId = String(answer.post);
            try {  // the browser's copy follows the draft to its own name
              localStorage.removeItem(storeKey);
              storeKey = "samizdat-draft-" + postId;
              localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), fields: fields() }));
            } catch (e) {}
            form.dataset.post = postId;
            form.action = answer.url;
            history.replaceState(null, "", answer.url);
          }
        }
      })
      .catch(function () {
        lastSaved = "";
        status.textContent = "Not autosaved: your text is kept in this browser. Log in again if asked, then reopen this page.";
      });
  }

  [title, body, excerpt].forEach(function (el) { if (el) el.addEventListener("input", typed); });
  setInterval(function () { autosave(false); }, 10000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") autosave(true);
  });
  window.addEventListener("pagehide", function () { autosave(true); });
  form.addEventListener("submit", function () {
    changed = false;  // the browser's copy stays until the saved page shows this text
  });

  var restore = document.getElementById("restore-autosave");
  if (restore) restore.addEventListener("click", function () {
    title.value = restore.dataset.title;
    if (excerpt) excerpt.value = restore.dataset.excerpt;
    body.value = restore.dataset.body;
    typed();
    document.getElementById("autosave-offer").hidden = true;
    body.focus();
  });

  // Text kept in this browser that the server never got (an expired session).
  try {
    var kept = JSON.parse(localStorage.getItem(storeKey) || "null")
      || (postId ? null : JSON.parse(localStorage.getItem("samizdat-draft-new") || "null"));
    if (kept && kept.fields && kept.fields.body === body.value) {
      localStorage.removeItem(storeKey);  // saved: the server has it now
      localStorage.removeItem("samizdat-draft-new");
    } else if (kept && kept.fields && !restore && !document.getElementById("conflict")) {
      var offer = document.createElement("div");
      offer.className = "writer-autosave";
      offer.setAttribute("role", "status");
      offer.innerHTML = "<p>This browser kept text you typed here that was not saved.</p>";
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Restore the text kept in this browser";
      button.addEventListener("click", function () {
        title.value = kept.fields.title; body.value = kept.fields.body;
        if (excerpt) excerpt.value = kept.fields.excerpt;
        offer.remove(); typed(); body.focus();
      });
      offer.appendChild(button);
      form.insertBefore(offer, form.querySelector(".writer-columns"));
    }
  } catch (e) {}

  // Images pasted or dropped into the text: uploaded, then inserted where the cursor is.
  var uploadError = document.getElementById("upload-error");
  function upload(file) {
    var alt = window.prompt("Describe the image for readers who cannot see it (alt text):", "") || "";
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("file", file, file.name || "pasted.png");
    data.append("alt", alt);
    var placeholder = "![Uploading " + (file.name || "image") + "…]()";
    insert(placeholder);
    fetch(form.dataset.uploadUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.body.error || "The upload failed.");
        body.value = body.value.replace(placeholder, answer.body.markdown);
        uploadError.hidden = true;
        typed();
      })
      .catch(function (error) {
        body.value = body.value.replace(placeholder, "");
        uploadError.textContent = error.message;
        uploadError.hidden = false;
        typed();
      });
  }
  function insert(text) {
    var start = body.selectionStart, end = body.selectionEnd;
    body.value = body.value.slice(0, start) + text + body.value.slice(end);
    body.selectionStart = body.selectionEnd = start + text.length;
    typed();
  }
  function images(list) {
    return Array.prototype.filter.call(list || [], function (f) { return /^image\//.test(f.type); });
  }
  body.addEventListener("paste", function (event) {
    var files = images(event.clipboardData && event.clipboardData.files);
    if (!files.length) return;
    event.preventDefault();
    files.forEach(upload);
  });
  body.addEventListener("dragover", function (event) { event.preventDefault(); });
  body.addEventListener("drop", function (event) {
    var files = images(event.dataTransfer && event.dataTransfer.files);
    if (!files.length) return;
    event.preventDefault();
    files.forEach(upload);
  });

  // The source editor: rows of a Django formset, added, filled from BibTeX or RIS,
  // moved by buttons, Alt+arrows or dragging; positions follow the order shown.
  var rowsList = document.getElementById("source-rows");
  var template = document.getElementById("source-template");
  var total = form.querySelector("input[name=sources-TOTAL_FORMS]");
  var sourcesError = document.getElementById("sources-error");
  var FIELDS = ["key", "kind", "authors", "title", "container", "publisher", "place",
                "year", "pages", "url", "doi", "isbn", "note"];
  function rowField(row, name) { return row.querySelector("[name$='-" + name + "']"); }
  function sourceRows() {
    if (!rowsList) return [];
    return Array.prototype.filter.call(rowsList.children, function (row) {
      var gone = rowField(row, "DELETE");
      return !(gone && gone.checked);
    }).map(function (row) {
      var item = {};
      FIELDS.forEach(function (name) { var f = rowField(row, name); if (f) item[name] = f.value; });
      return item;
    });
  }
  function renumber() {
    Array.prototype.forEach.call(rowsList.children, function (row, index) {
      var position = rowField(row, "position");
      if (position) position.value = index + 1;
    });
    typed();
  }
  function addRow(values) {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("ol");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rowsList.appendChild(row);
    total.value = index + 1;
    Object.keys(values || {}).forEach(function (name) {
      var field = rowField(row, name);
      if (field && values[name] !== undefined) field.value = values[name];
    });
    renumber();
    return row;
  }
  function move(row, step) {
    if (step < 0 && row.previousElementSibling) rowsList.insertBefore(row, row.previousElementSibling);
    if (step > 0 && row.nextElementSibling) rowsList.insertBefore(row.nextElementSibling, row);
    renumber();
  }
  if (rowsList) {
    document.getElementById("add-source").addEventListener("click", function () {
      var row = addRow({});
      rowField(row, "title").focus();
    });
    rowsList.addEventListener("click", function (event) {
      var row = event.target.closest(".source-row");
      if (event.target.classList.contains("source-up")) { move(row, -1); event.target.focus(); }
      if (event.target.classList.contains("source-down")) { move(row, 1); event.target.focus(); }
    });
    rowsList.addEventListener("keydown", function (event) {
      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      event.preventDefault();
      var active = document.activeElement;
      move(event.target.closest(".source-row"), event.key === "ArrowUp" ? -1 : 1);
      if (active) active.focus();
    });
    rowsList.addEventListener("input", function () { typed(); });
    rowsList.addEventListener("change", function () { typed(); });
    var dragged = null;
    rowsList.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".source-row");
      if (dragged) dragged.classList.add("dragging");
    });
    rowsList.addEventListener("dragover", function (event) {
      var over = event.target.closest(".source-row");
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      var box = over.getBoundingClientRect();
      rowsList.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
    });
    rowsList.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      renumber();
    });
    document.getElementById("parse-sources").addEventListener("click", function () {
      var pasted = document.getElementById("bibtex");
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      data.append("text", pasted.value);
      fetch(document.getElementById("sources").dataset.parseUrl,
            { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
        .then(function (answer) {
          if (!answer.ok) throw new Error(answer.body.error);
          answer.body.rows.forEach(function (values) { addRow(values); });
          sourcesError.hidden = true;
          pasted.value = "";
        })
        .catch(function (error) {
          sourcesError.textContent = error.message || "That could not be read.";
          sourcesError.hidden = false;  // the rows are left as they were
        });
    });
  }

  var conflict = document.getElementById("conflict");
  if (conflict) conflict.focus();
})();
