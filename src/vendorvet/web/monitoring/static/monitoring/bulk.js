// "Select all" for the bulk actions of the events list; the form works without it (the box stays hidden).
(function () {
  "use strict";
  var all = document.getElementById("select-all-events");
  if (!all) { return; }
  all.hidden = false;
  all.addEventListener("change", function () {
    document.querySelectorAll("input.event-check").forEach(function (box) { box.checked = all.checked; });
  });
})();
