// Runs in the login popup's last page: hand the result to the comment form that
// opened it (same origin only), then close. Opened without a popup, the page
// itself shows the result and a link back to the draft.
(function () {
  "use strict";
  var data = document.getElementById("samizdat-login-result");
  if (!data || !window.opener || window.opener.closed) return;
  try {
    window.opener.postMessage(JSON.parse(data.textContent), window.location.origin);
  } catch (error) {
    return;
  }
  window.close();
})();
