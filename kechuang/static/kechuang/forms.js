// A form sent by POST can be sent once: its submit buttons are disabled right after the
// browser has taken the form's data (the clicked button's name and value included), so a
// double click does not create a record twice. Buttons come back when the page is shown
// again from the back/forward cache.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form button[type=submit]:disabled, form input[type=submit]:disabled")
      .forEach(function (b) { b.disabled = false; });
  });
})();
