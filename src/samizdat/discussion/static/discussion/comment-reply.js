// Move the "Leave a Reply" form under the comment being answered, as WordPress's
// comment-reply.js does. Without JavaScript the Reply link is a plain link
// (?replytocom=ID#respond) that the server answers with the same form.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (!respond) return;
  var form = document.getElementById("commentform");
  var parentInput = form.querySelector("input[name=parent_id]");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var title = respond.querySelector(".reply-title-text");
  var defaultTitle = "Leave a Reply";
  // Where the form goes back to on "Cancel reply".
  var home = document.createElement("div");
  home.id = "respond-home";
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  var opener = null;  // The Reply link that moved the form, for focus on "Cancel reply".

  function moveTo(link) {
    var body = document.getElementById("div-comment-" + link.dataset.commentId);
    if (!body) return false;
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentInput.value = link.dataset.commentId;
    title.textContent = "Reply to " + link.dataset.author;
    cancel.hidden = false;
    opener = link;
    var textarea = form.querySelector("textarea");
    if (textarea) textarea.focus();
    return true;
  }

  function reset() {
    home.parentNode.insertBefore(respond, home);
    parentInput.value = "";
    title.textContent = defaultTitle;
    cancel.hidden = true;
    // Keyboard users go back to where they were, not to the top of the page.
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".comment-reply-link");
    if (link && moveTo(link)) {
      event.preventDefault();
      return;
    }
    if (event.target === cancel) {
      event.preventDefault();
      reset();
    }
  });

  // A refused comment comes back with a summary of what to fix: start there.
  // After the load: the browser's own move to "#respond" would otherwise undo the focus.
  var errors = document.getElementById("comment-form-errors");
  if (errors) {
    errors.focus();
    window.addEventListener("load", function () {
      window.requestAnimationFrame(function () { errors.focus(); });
    });
  }

  // The length limit is enforced by the server, never by cutting the text: count what
  // is left once the reader is near it, and say when it is over.
  var body = form.querySelector("textarea[name=body]");
  var counter = document.getElementById("id_body_count");
  var limit = body && parseInt(body.dataset.maxlength, 10);
  function count() {
    var length = body.value.length;
    if (length < limit * 0.8) {
      counter.hidden = true;
      counter.classList.remove("over");
      return;
    }
    counter.hidden = false;
    var over = length > limit;
    counter.classList.toggle("over", over);
    counter.textContent = over
      ? (length - limit).toLocaleString() + " characters over the limit of " + limit.toLocaleString() + ": please shorten your comment."
      : (limit - length).toLocaleString() + " characters left.";
  }
  if (body && counter && limit) {
    body.addEventListener("input", count);
    count();
  }

  // Guard against a double submit while the first one is on its way.
  form.addEventListener("submit", function () {
    var button = form.querySelector("[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
