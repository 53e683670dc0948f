// Kindred reactions: the four buttons under a comment send their form with
// fetch and the counts, the pressed button and a spoken status change in place.
// Without this script (or when the fetch fails) the form posts as usual and the
// member lands back at the comment, told what changed.
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) {
    return;
  }
  var forms = document.querySelectorAll("form.reaction-form");
  if (!forms.length) {
    return;
  }
  // A live region present from the start is announced reliably when it changes.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "reaction-status";
  (document.querySelector("main") || document.body).appendChild(status);

  function say(text) {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function postWithoutScript(form, button) {
    // The same request as without JavaScript: the page reloads at the comment.
    var chosen = document.createElement("input");
    chosen.type = "hidden";
    chosen.name = button.name;
    chosen.value = button.value;
    form.appendChild(chosen);
    HTMLFormElement.prototype.submit.call(form);
  }

  function show(form, answer) {
    // As the server writes them: the member's own reaction takes itself back.
    form.querySelectorAll("button[value]").forEach(function (button) {
      var mine = button.value === answer.kind;
      button.setAttribute("aria-pressed", String(mine));
      button.name = mine ? "take_back" : "kind";
    });
    var counts = form.closest(".reactions").querySelector(".reaction-counts");
    counts.textContent = answer.counts;
    say(answer.message);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.reaction-form")) {
      return;
    }
    var button = event.submitter;
    if (!button || (button.name !== "kind" && button.name !== "take_back")) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return; // one change at a time; a second press waits for the first
    }
    var data = new FormData(form);
    data.append(button.name, button.value);
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") < 0) {
          throw new Error("not an answer of the reactions view");
        }
        return response.json().then(function (answer) {
          if (response.ok) {
            show(form, answer);
          } else {
            say(answer.message);
          }
        });
      })
      .catch(function () {
        postWithoutScript(form, button);
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
      });
  });
})();
