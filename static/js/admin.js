// Kindred's additions to the Django admin. The boxes of autocomplete fields
// (select2) carry no accessible name; give them their field's label. select2
// builds them after the page has loaded, so this watches for them.
(function () {
  "use strict";

  function name(select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var box = select.parentElement.querySelector(".select2-selection");
    if (!label || !box || box.dataset.named) {
      return;
    }
    box.dataset.named = "1";
    label.id = label.id || select.id + "-label";
    var shown = box.querySelector(".select2-selection__rendered");
    box.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
    if (shown) {
      shown.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
    // The two-list permission picker puts its help on an empty <span> with an
    // aria-label, which a span may not carry; as an image it may, and is read.
    document
      .querySelectorAll(".help-tooltip[aria-label]:not([role])")
      .forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
