// Kindred discussions: "Expand all / Collapse all", the focus after an action,
// and "Reply" opening the reply form inline, under the comment.
// Without this script (or if anything fails) the link opens the reply page, which
// has the same form; the form posts the same way in both cases.
(function () {
  "use strict";

  // Times of the last week read as "3 hours ago"; the exact time stays in the
  // <time> element's datetime and in its title (shown on hover). Without this
  // script the exact time shows: the thread's HTML is cached and shared, so a
  // relative time written by the server would go stale.
  if (window.Intl && Intl.RelativeTimeFormat) {
    var relative = new Intl.RelativeTimeFormat(
      document.documentElement.lang || undefined, { numeric: "auto" });
    var units = [["second", 60], ["minute", 60], ["hour", 24], ["day", 7]];
    document.querySelectorAll("ol.thread time[datetime]").forEach(function (time) {
      var amount = (Date.parse(time.getAttribute("datetime")) - Date.now()) / 1000;
      for (var i = 0; i < units.length && !isNaN(amount); i++) {
        if (Math.abs(amount) < units[i][1]) {
          time.title = time.textContent;
          time.textContent = relative.format(Math.round(amount), units[i][0]);
          return;
        }
        amount /= units[i][1];
      }
    });
  }

  // "Expand all / Collapse all" above a thread with replies; without this script
  // each thread still opens and closes by its own "Show / Hide replies".
  document.querySelectorAll("section.discussion").forEach(function (part) {
    var thread = part.querySelector("ol.thread");
    if (!thread || !thread.querySelector("details.replies")) {
      return;
    }
    var tools = document.createElement("div");
    tools.className = "thread-tools";
    [[part.dataset.expandLabel || "Expand all", true],
     [part.dataset.collapseLabel || "Collapse all", false]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = pair[0];
      button.addEventListener("click", function () {
        part.querySelectorAll("details.replies").forEach(function (details) {
          details.open = pair[1];
        });
      });
      tools.appendChild(button);
    });
    thread.before(tools);
  });

  // After posting, editing, reporting or deleting: the comment concerned takes
  // the focus, and its confirmation is said again so screen readers announce it
  // (a live region present when the page loads is not always read).
  var notice = document.getElementById("comment-notice");
  if (notice) {
    var changed = notice.closest("li.just-changed") || notice;
    changed.focus();
    var text = notice.textContent;
    notice.textContent = "";
    window.setTimeout(function () {
      notice.textContent = text;
    }, 100);
  }

  var section = document.getElementById("comments");
  if (!section || !section.dataset.replyUrl || !window.fetch || !window.DOMParser) {
    return;
  }

  function replyUrlFor(id) {
    // data-reply-url is the reply URL of comment 0, e.g. /comments/0/reply/.
    return section.dataset.replyUrl.replace("/0/", "/" + id + "/");
  }

  // Ids inside the fetched form would repeat those of the "Leave a comment" form.
  function renameIds(root, prefix) {
    root.querySelectorAll("[id]").forEach(function (el) {
      el.id = prefix + el.id;
    });
    root.querySelectorAll("label[for]").forEach(function (el) {
      el.htmlFor = prefix + el.htmlFor;
    });
    root.querySelectorAll("[aria-describedby]").forEach(function (el) {
      var ids = el.getAttribute("aria-describedby").split(/\s+/);
      el.setAttribute("aria-describedby", ids.map(function (id) {
        return prefix + id;
      }).join(" "));
    });
    root.querySelectorAll("a[href^='#']").forEach(function (el) {
      el.setAttribute("href", "#" + prefix + el.getAttribute("href").slice(1));
    });
  }

  function build(id, link, doc) {
    var form = doc.querySelector("form.comment-form");
    var title = doc.querySelector("h1");
    if (!form || !title) {
      return null;
    }
    var box = document.createElement("div");
    box.className = "inline-reply";
    box.id = "reply-" + id;
    var heading = document.createElement("h3");
    heading.id = "reply-" + id + "-heading";
    heading.textContent = title.textContent.trim();
    box.setAttribute("role", "region");
    box.setAttribute("aria-labelledby", heading.id);
    form = document.importNode(form, true);
    renameIds(form, "reply-" + id + "-");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = section.dataset.cancelLabel || "Cancel";
    cancel.addEventListener("click", function () {
      box.remove();
      link.focus();
    });
    var actions = form.querySelector(".form-actions") || form;
    actions.appendChild(cancel);
    box.appendChild(heading);
    box.appendChild(form);
    return box;
  }

  function open(id, link) {
    var existing = document.getElementById("reply-" + id);
    if (existing) {
      existing.querySelector("textarea").focus();
      return;
    }
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("no inline form");
        }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var box = build(id, link, doc);
        if (!box) {
          throw new Error("no inline form");
        }
        link.closest("article").after(box);
        box.querySelector("textarea").focus();
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  section.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-actions a");
    var item = link && link.closest("li[id^='comment-']");
    if (!item || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var id = item.id.slice("comment-".length);
    if (new URL(link.href).pathname !== replyUrlFor(id)) {
      return;
    }
    event.preventDefault();
    open(id, link);
  });
})();
