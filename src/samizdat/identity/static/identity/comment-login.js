// The "Log in using one of these methods" part of the comment form.
//
// A login button opens the provider in a popup and shows "Connecting to X…";
// the popup's last page posts the result back (same origin only) and closes,
// and the form switches to the identity bar without reloading, keeping the
// draft. If the popup is blocked, the button submits the form in this window:
// the server keeps the draft in the session and gives it back afterwards.
(function () {
  "use strict";
  var form = document.getElementById("commentform");
  if (!form) return;
  var bar = document.getElementById("identity-bar");
  var choice = document.getElementById("login-choice");
  var guest = document.getElementById("guest-fields");
  var status = document.getElementById("login-status");
  var body = form.querySelector("textarea[name=body]");
  var draftKey = "samizdat-draft:" + window.location.pathname;
  var popup = null;
  var pendingName = "";

  // Keep the draft in this tab too, for a full-page login that comes back elsewhere.
  if (body) {
    if (!body.value && window.sessionStorage.getItem(draftKey)) {
      body.value = window.sessionStorage.getItem(draftKey);
    }
    body.addEventListener("input", function () {
      window.sessionStorage.setItem(draftKey, body.value);
    });
    form.addEventListener("submit", function (event) {
      if (!event.submitter || event.submitter.id === "submit") {
        window.sessionStorage.removeItem(draftKey);
      }
    });
  }

  function setToken(token) {
    if (!token) return;
    form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function showIdentity(identity) {
    form.classList.add("has-identity");
    bar.querySelector(".identity-name").textContent = identity.display_name;
    bar.querySelector(".identity-provider").textContent = identity.provider_name;
    var avatar = bar.querySelector(".identity-avatar");
    avatar.src = identity.avatar_url;
    avatar.hidden = false;
    bar.hidden = false;
    if (guest) guest.hidden = true;
    if (choice) choice.hidden = true;
    say("");
  }

  function showGuest() {
    form.classList.remove("has-identity");
    bar.hidden = true;
    if (guest) guest.hidden = false;
    if (choice) choice.hidden = false;
  }

  function refresh() {
    return fetch(form.dataset.meUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        setToken(data.csrf_token);
        if (data.identity) showIdentity(data.identity); else showGuest();
        if (body) body.focus();
      });
  }

  // A page shared by the page cache is the same for every reader: it comes without a
  // CSRF token (it would be someone else's) and without anything of this reader's.
  // One small request brings both: when they start on the form, before any submit
  // that comes first, or at once when the reader has a session (the samizdat_personal
  // cookie): their login, their comments awaiting moderation, their remembered name,
  // the draft kept across a login.
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var tokenAsked = null;

  function personalUrl() {
    var query = new URLSearchParams();
    ["post_id", "page_id"].forEach(function (name) {
      var input = form.querySelector("input[name=" + name + "]");
      if (input && input.value) query.set(name, input.value);
    });
    var page = window.location.pathname.match(/\/comment-page-(\d+)\/?$/);
    if (page) query.set("page", page[1]);
    return form.dataset.meUrl + "?" + query.toString();
  }

  function fillAuthor(author) {
    ["author_name", "author_email", "author_url"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (input && !input.value && author[name]) input.value = author[name];
    });
    var remember = form.querySelector("input[name=remember]");
    if (remember && author.remember) remember.checked = true;
  }

  function fillDraft(draft) {
    if (body && !body.value && draft.body) body.value = draft.body;
    var parent = form.querySelector("input[name=parent_id]");
    if (parent && !parent.value && draft.parent_id) parent.value = draft.parent_id;
  }

  // The reader's own comments awaiting moderation, where the page would have shown them.
  function showPending(pending) {
    var section = document.getElementById("comments");
    pending.forEach(function (item) {
      if (document.getElementById("comment-" + item.id)) return;
      var list;
      var holder = item.in ? document.getElementById("comment-" + item.in) : null;
      if (holder) {
        list = holder.querySelector(":scope > ol.children");
        if (!list) {
          list = document.createElement("ol");
          list.className = "children";
          holder.appendChild(list);
          holder.classList.add("parent");
        }
      } else {
        list = section && section.querySelector(":scope > ol.comment-list");
        if (!list && section) {
          list = document.createElement("ol");
          list.className = "comment-list";
          var before = section.querySelector(":scope > .comment-navigation, :scope > .no-comments, :scope > #respond");
          section.insertBefore(list, before);
        }
      }
      if (!list) return;
      var template = document.createElement("template");
      template.innerHTML = item.html.trim();
      list.appendChild(template.content);
    });
  }

  function ensureToken() {
    if (!tokenInput || tokenInput.value) return Promise.resolve();
    if (!tokenAsked) {
      tokenAsked = fetch(personalUrl(), {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          setToken(data.csrf_token);
          var started = form.querySelector("input[name=form_token]");
          if (started && !started.value && data.form_token) started.value = data.form_token;
          if (data.identity) showIdentity(data.identity);
          if (data.author && !data.identity) fillAuthor(data.author);
          if (data.draft) fillDraft(data.draft);
          if (data.pending && data.pending.length) showPending(data.pending);
        })
        .catch(function () { tokenAsked = null; });
    }
    return tokenAsked;
  }
  if (tokenInput && !tokenInput.value && /(^|;\s*)samizdat_personal=1/.test(document.cookie)) {
    ensureToken();
  }
  if (tokenInput && !tokenInput.value) {
    form.addEventListener("focusin", ensureToken);
    form.addEventListener("pointerdown", ensureToken);
    form.addEventListener("submit", function (event) {
      if (tokenInput.value) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      ensureToken().then(function () {
        if (tokenInput.value) form.requestSubmit(submitter || undefined);
      });
    }, true);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin) return;
    if (popup && event.source !== popup) return;
    var data = event.data || {};
    if (data.type === "samizdat:login") {
      popup = null;
      refresh();
    } else if (data.type === "samizdat:login-error") {
      popup = null;
      say(data.message || "The login did not complete.");
    }
  });

  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".login-button");
    if (button) {
      event.preventDefault();
      pendingName = button.dataset.providerName;
      // Opened in the click itself, or a popup blocker would stop it.
      popup = window.open("", "samizdat-login", "popup,width=600,height=700");
      ensureToken().then(function () { startLogin(button); });
      return;
    }
    var logout = event.target.closest && event.target.closest(".identity-logout");
    if (logout) {
      event.preventDefault();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      fetch(form.dataset.logoutUrl, {method: "POST", body: data, credentials: "same-origin",
                                     headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (result) { setToken(result.csrf_token); showGuest(); });
      return;
    }
    var change = event.target.closest && event.target.closest(".identity-change");
    if (change && choice) {
      event.preventDefault();
      choice.hidden = false;
    }
  });

  // Post the login form to the popup (or, blocked, in this window).
  function startLogin(button) {
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "popup";
    flag.value = popup ? "1" : "0";
    var provider = document.createElement("input");
    provider.type = "hidden";
    provider.name = "provider";
    provider.value = button.value;
    form.appendChild(flag);
    form.appendChild(provider);
    var action = form.action;
    var target = form.target;
    form.action = button.getAttribute("formaction");
    if (popup) {
      form.target = "samizdat-login";
      say("Connecting to " + pendingName + "\u2026");
    }
    // The Post Comment button's id "submit" shadows form.submit.
    HTMLFormElement.prototype.submit.call(form);
    form.action = action;
    form.target = target;
    flag.remove();
    provider.remove();
    if (popup) watchPopup();
  }

  // A popup closed by the reader before finishing leaves the form as it was.
  function watchPopup() {
    var timer = window.setInterval(function () {
      if (!popup) { window.clearInterval(timer); return; }
      if (popup.closed) {
        window.clearInterval(timer);
        popup = null;
        say("The login window was closed before the login finished.");
      }
    }, 500);
  }
})();
