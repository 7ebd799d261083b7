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

  function moveTo(link) {
    var body = document.getElementById("div-comment-" + link.dataset.commentId);
    if (!body) return false;
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentInput.value = link.dataset.commentId;
    title.textContent = "Reply to " + link.dataset.author;
    cancel.hidden = false;
    var textarea = form.querySelector("textarea");
    if (textarea) textarea.focus();
    return true;
  }

  function reset() {
    home.parentNode.insertBefore(respond, home);
    parentInput.value = "";
    title.textContent = defaultTitle;
    cancel.hidden = true;
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

  // Guard against a double submit while the first one is on its way.
  form.addEventListener("submit", function () {
    var button = form.querySelector("[type=submit]");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
