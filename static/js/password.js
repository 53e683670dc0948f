// "Show password": each <template class="show-password"> beside a password field
// (templates/account/_password_field.html) becomes a button that shows or hides
// what was typed. Its name stays "Show password" and aria-pressed says whether it
// is on, so a screen reader announces "Show password, toggle button, pressed".
(function () {
  "use strict";

  function attach(template) {
    var button = template.content.firstElementChild.cloneNode(true);
    var field = document.getElementById(button.getAttribute("aria-controls"));
    if (!field) {
      return;
    }
    button.addEventListener("click", function () {
      var show = field.type === "password";
      field.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
    // Sent as a password field, so password managers offer to save it.
    if (field.form) {
      field.form.addEventListener("submit", function () {
        field.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
    template.replaceWith(button);
  }

  document.querySelectorAll("template.show-password").forEach(attach);
})();
