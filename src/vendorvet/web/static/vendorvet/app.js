/* vendorvet — small progressive enhancements. Everything works without JavaScript;
   no inline handlers (CSP: script-src 'self'). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // The menu button of narrow windows (CSS shows it below the breakpoint; without JS the menu stays open).
  function setupMenu() {
    var toggle = document.querySelector(".nav-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) {
      return;
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        toggle.focus();
      }
    });
  }

  // A card or table box that scrolls sideways (a wide table on a narrow window) must be reachable by keyboard:
  // it gets tabindex="0" while it overflows, and loses it again when the window is wide enough.
  function markScrollable() {
    var boxes = document.querySelectorAll(".card, .table-scroll, .table-wrap, .scroll-x");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-focus");
      }
    }
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollable, 100);
  });
  document.addEventListener("htmx:afterSettle", markScrollable);

  // <select data-filter data-filter-label="…">: a labelled search box before the select hides the options that
  // do not match (name without accents, or the code); Enter picks the only match of a single select.
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setupFilters() {
    var selects = document.querySelectorAll("select[data-filter]");
    for (var i = 0; i < selects.length; i++) {
      (function (select) {
        if (!select.id || select.hasAttribute("data-filter-ready")) {
          return;
        }
        select.setAttribute("data-filter-ready", "");
        var wrap = document.createElement("div");
        wrap.className = "select-filter";
        var label = document.createElement("label");
        label.className = "select-filter-label";
        label.htmlFor = select.id + "-filter";
        label.textContent = select.getAttribute("data-filter-label") || "";
        var input = document.createElement("input");
        input.type = "search";
        input.id = select.id + "-filter";
        input.autocomplete = "off";
        input.setAttribute("aria-controls", select.id);
        wrap.appendChild(label);
        wrap.appendChild(input);
        select.parentNode.insertBefore(wrap, select);
        input.addEventListener("input", function () {
          var query = fold(input.value.trim());
          for (var k = 0; k < select.options.length; k++) {
            var option = select.options[k];
            var match = !query || option.value === "" || fold(option.text).indexOf(query) !== -1 ||
              fold(option.value) === query;
            option.hidden = !match && !option.selected;
          }
        });
        input.addEventListener("keydown", function (event) {
          if (event.key !== "Enter") {
            return;
          }
          event.preventDefault();
          var visible = Array.prototype.filter.call(select.options, function (o) { return !o.hidden && o.value; });
          if (visible.length === 1) {
            visible[0].selected = true;
            select.dispatchEvent(new Event("change", { bubbles: true }));
          }
          select.focus();
        });
      })(selects[i]);
    }
  }

  function ready() {
    setupMenu();
    setupFilters();
    markScrollable();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }

  // <select data-autosubmit> submits its form on change (language and tenant switchers).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      if (typeof el.form.requestSubmit === "function") {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });

  // <form data-confirm="…"> asks before a plain (non-htmx) destructive POST.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  });

  // Formsets: <button data-formset-add="prefix"> clones <template id="prefix-empty-form">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-formset-add]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var prefix = button.getAttribute("data-formset-add");
    var template = document.getElementById(prefix + "-empty-form");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var target = document.getElementById(prefix + "-forms");
    if (!template || !total || !target) {
      return;
    }
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    while (holder.firstElementChild) {
      target.appendChild(holder.firstElementChild);
    }
    total.value = String(index + 1);
  });

  // "/" focuses the search box on list pages.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var active = document.activeElement;
    if (active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA" || active.tagName === "SELECT" || active.isContentEditable)) {
      return;
    }
    var search = document.querySelector("input[data-search-shortcut]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });
})();
