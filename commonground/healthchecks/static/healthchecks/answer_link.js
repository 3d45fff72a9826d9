// The emailed link carries the one-use code after "#", which browsers never send to a
// server. Move it into the form, wipe it from the address bar and history, and send it
// in the body of a POST, so that it never lands in an access log.
(function () {
  "use strict";
  function take() {
    var code = window.location.hash.replace(/^#/, "");
    if (!code) return;
    var form = document.getElementById("hc-code-form");
    var field = document.getElementById("hc-code");
    if (!form || !field) {
      // Another answer page is open in this tab (a link followed from a second
      // email changes only the "#" part, so the browser does not load the page
      // again): load the code page afresh (a plain GET; the code stays after "#").
      window.location.replace(
        window.location.pathname + "?again=" + Date.now() + window.location.hash
      );
      return;
    }
    window.history.replaceState(null, "", window.location.pathname);
    if (form.dataset.sent) return;
    field.value = decodeURIComponent(code);
    form.dataset.sent = "1";
    form.submit();
  }
  window.addEventListener("hashchange", take);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", take);
  } else {
    take();
  }
})();
