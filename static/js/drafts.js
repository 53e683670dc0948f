// Kindred drafts: what a member types into a comment, reply, edit or topic form is
// kept on the server every few seconds, so that it comes back on any device.
// Without this script the text is still kept on every Preview; the form itself
// posts the same way in both cases. Forms that keep drafts carry data-drafts
// (members only); forms added later (the inline reply form) are found the same way.
(function () {
  "use strict";
  if (window.kindredDrafts || !window.fetch || !window.FormData) {
    return;
  }
  window.kindredDrafts = true;

  var QUIET = 2000; // save once typing pauses this long...
  var LONGEST = 10000; // ...and at least this often while it goes on
  var pending = new WeakMap();
  var inFlight = new WeakMap(); // a save on its way, as a promise

  function save(form) {
    var state = pending.get(form);
    if (state) {
      window.clearTimeout(state.timer);
      pending.delete(form);
    }
    var data = new FormData(form);
    data.append("save_draft", "1");
    var status = form.querySelector("[data-draft-status]");
    var saving = fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") !== 0) {
          throw new Error("not an answer about the draft"); // logged out, say
        }
        return response.json();
      })
      .then(function (answer) {
        if (status && typeof answer.message === "string") {
          status.textContent = answer.message;
        }
      })
      .catch(function () {
        // Offline, logged out or the server is away: say so; the next pause
        // tries again.
        if (status && status.dataset.failed) {
          status.textContent = status.dataset.failed;
        }
      })
      .then(function () {
        if (inFlight.get(form) === saving) {
          inFlight.delete(form);
        }
      });
    inFlight.set(form, saving);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-drafts")) {
      return;
    }
    var state = pending.get(form) || { since: Date.now(), timer: null };
    window.clearTimeout(state.timer);
    var wait = Math.max(0, Math.min(QUIET, state.since + LONGEST - Date.now()));
    state.timer = window.setTimeout(function () {
      save(form);
    }, wait);
    pending.set(form, state);
  });

  // Sending the form stores the post and forgets the draft: no save may land
  // after it, so a save still on its way is let arrive first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var state = pending.get(form);
    if (state) {
      window.clearTimeout(state.timer);
      pending.delete(form);
    }
    var saving = inFlight.get(form);
    if (!saving || !form.requestSubmit) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter || null;
    var atMost = new Promise(function (resolve) {
      window.setTimeout(resolve, 3000); // a save that hangs never holds the post
    });
    Promise.race([saving, atMost]).then(function () {
      inFlight.delete(form);
      form.requestSubmit(submitter);
    });
  });
})();
