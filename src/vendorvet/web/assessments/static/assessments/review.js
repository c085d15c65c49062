/* Answer sheet: "save all changed answers". Each answer keeps its own form (and works without JavaScript);
   this button submits the changed ones one after another through their own HTMX forms. */
(function () {
  "use strict";

  function changed(form) {
    var fields = form.querySelectorAll("input[type=radio], textarea");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "radio" ? f.checked !== f.defaultChecked : f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function setup() {
    var bar = document.querySelector("[data-save-all]");
    if (!bar) {
      return;
    }
    var button = bar.querySelector("[data-save-all-button]");
    var status = bar.querySelector("[data-save-all-status]");
    bar.hidden = false;
    var queue = [];
    var current = null;

    function next() {
      current = queue.shift() || null;
      if (current) {
        current.requestSubmit();
      } else {
        button.disabled = false;
        status.textContent = button.getAttribute("data-saved");
      }
    }

    // the answer's form is swapped out with its card, so the event reaches the document from an ancestor:
    // the request's own element tells which form it was
    document.addEventListener("htmx:afterRequest", function (event) {
      var config = event.detail && event.detail.requestConfig;
      if (current && config && config.elt === current) {
        next();
      }
    });

    button.addEventListener("click", function () {
      queue = Array.prototype.filter.call(document.querySelectorAll("form.answer-form"), changed);
      if (!queue.length) {
        status.textContent = button.getAttribute("data-none");
        return;
      }
      button.disabled = true;
      status.textContent = button.getAttribute("data-saving");
      next();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
