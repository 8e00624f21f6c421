/* The confirmation page's "Copy the number" button. It is in the page hidden and
   shown only where the browser can copy (navigator.clipboard, a secure context);
   elsewhere the number is read off the page, as without this script. */
(function () {
  "use strict";

  var row = document.getElementById("copy-row");
  var button = document.getElementById("copy-tracking-number");
  var status = document.getElementById("copy-status");
  if (!row || !button || !status || !navigator.clipboard || !navigator.clipboard.writeText) { return; }

  row.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      status.textContent = button.getAttribute("data-copied");
    }, function () {
      status.textContent = button.getAttribute("data-failed");
    });
  });
}());
