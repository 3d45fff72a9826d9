// The emailed link carries the one-use code after "#", which browsers never send to a
// server. Move it into the form, wipe it from the address bar and history, and send it
// in the body of a POST, so that it never lands in an access log.
(function () {
  "use strict";
  var code = window.location.hash.replace(/^#/, "");
  if (!code) return;
  window.history.replaceState(null, "", window.location.pathname);
  function go() {
    var form = document.getElementById("hc-code-form");
    var field = document.getElementById("hc-code");
    if (!form || !field || form.dataset.sent) return;
    field.value = decodeURIComponent(code);
    form.dataset.sent = "1";
    form.submit();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", go);
  } else {
    go();
  }
})();
