/* The theme switch without a page load: remember the choice in the same cookie the server reads
   (content.views.set_theme) and reload only the theme stylesheet. Without JavaScript the switch is a
   plain GET form that does the same with a redirect. */
(function () {
  "use strict";
  function current() {
    var match = document.cookie.match(/(?:^|; )theme=(light|dark)/);
    return match ? match[1] : "auto";
  }
  function show(choice) {
    document.querySelectorAll(".theme-switch button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.value === choice));
    });
  }
  function choose(choice) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    if (choice === "auto") {
      document.cookie = "theme=; Max-Age=0; Path=/; SameSite=Lax" + secure;
    } else {
      document.cookie = "theme=" + choice + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
    }
    var link = document.getElementById("theme-css");
    if (link) link.href = link.href.split("?")[0] + "?" + choice;
    show(choice);
  }
  document.addEventListener("DOMContentLoaded", function () {
    show(current());
    document.querySelectorAll(".theme-switch").forEach(function (form) {
      form.addEventListener("click", function (event) {
        var button = event.target.closest("button[value]");
        if (!button) return;
        event.preventDefault();
        choose(button.value);
      });
    });
  });
})();
