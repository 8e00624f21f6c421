/* Keyboard work on a desk list (the queue): j / k move the selection between rows
   (and ↓ / ↑ once the list has the focus), Enter or o opens the selected order,
   "/" goes to the filters, "?" shows or hides the help. Nothing happens while the
   person types in a field or holds Ctrl, Alt or Meta, so the browser's and the
   screen reader's own keys are left alone. The help is on the page; it is hidden
   without this script, as the keys then do nothing. */
(function () {
  "use strict";

  var table = document.getElementById("queue-table");
  if (!table) { return; }
  var help = document.getElementById("queue-keys");
  var filters = document.getElementById("queue-filters");
  if (help) { help.hidden = false; }

  function rows() {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
      return row.hasAttribute("data-row-id");
    });
  }

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "select" || tag === "textarea" || target.isContentEditable;
  }

  function selected() { return table.querySelector("tr.is-selected"); }

  function select(row) {
    var old = selected();
    if (old) {
      old.classList.remove("is-selected");
      old.removeAttribute("aria-current");
    }
    row.classList.add("is-selected");
    row.setAttribute("aria-current", "true");
    row.tabIndex = -1;
    row.focus();
    row.scrollIntoView({block: "nearest"});
  }

  function move(step) {
    var list = rows();
    if (!list.length) { return; }
    var index = list.indexOf(selected());
    if (index === -1) {
      // Start from the row that has the focus, else from the top (or the bottom going up).
      var focused = document.activeElement && document.activeElement.closest("tr[data-row-id]");
      index = focused ? list.indexOf(focused) : (step > 0 ? -1 : list.length);
    }
    select(list[Math.max(0, Math.min(list.length - 1, index + step))]);
  }

  function open() {
    var row = selected();
    var link = row && row.querySelector("a[href]");
    if (link) { window.location.assign(link.href); }
  }

  function toggleHelp() {
    if (!help) { return; }
    help.open = !help.open;
    if (help.open) { help.querySelector("summary").focus(); }
  }

  function inList(target) { return table.contains(target); }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j" || (key === "ArrowDown" && inList(event.target))) {
      move(1);
    } else if (key === "k" || (key === "ArrowUp" && inList(event.target))) {
      move(-1);
    } else if (key === "o" || (key === "Enter" && selected() && event.target === selected())) {
      open();
    } else if (key === "/" && filters) {
      var field = filters.querySelector("select, input:not([type=hidden])");
      if (field) { field.focus(); }
    } else if (key === "?") {
      toggleHelp();
    } else if (key === "Escape" && help && help.open) {
      help.open = false;
    } else {
      return;
    }
    event.preventDefault();
  });

  // A click on a row (not its link) selects it too, so mouse and keys agree.
  table.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-row-id]");
    if (row && !event.target.closest("a, button")) { select(row); }
  });
}());
