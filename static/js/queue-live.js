/* The queue, live: every 20 s (paused while the tab is hidden, slower after each
   failure) ask the portal for the list's counts and the rows that arrived since the
   newest one this page knows; update the counts, and say what is new in a polite
   live region with a button that puts the new rows at the top of the list. Words
   come from the page (data- attributes) or from the server, in the reader's
   language. Without this script the page is a plain list, as before. */
(function () {
  "use strict";

  var box = document.getElementById("queue-live");
  var table = document.getElementById("queue-table");
  if (!box || !table || !window.fetch || !window.URL) { return; }

  var message = document.getElementById("queue-live-message");
  var showButton = document.getElementById("queue-live-show");
  var reloadLink = document.getElementById("queue-live-reload");
  var summary = document.getElementById("queue-summary");
  var body = table.tBodies[0];
  var interval = parseInt(box.getAttribute("data-interval"), 10) || 20000;
  var MAX_DELAY = 5 * 60 * 1000;
  var cursor = box.getAttribute("data-cursor") || "0";
  var total = parseInt(box.getAttribute("data-total"), 10) || 0;
  var delay = interval;
  var timer = null;
  var waiting = null; // the rows fetched but not yet shown: {html, count}
  var busy = false;

  function say(text) { message.textContent = text || ""; }

  function schedule(ms) {
    window.clearTimeout(timer);
    timer = null;
    if (!document.hidden) { timer = window.setTimeout(poll, ms); }
  }

  function liveUrl() {
    var url = new URL(box.getAttribute("data-url"), window.location.href);
    url.searchParams.set("after", cursor);
    return url.toString();
  }

  function setCounts(data) {
    Object.keys(data.counts).forEach(function (key) {
      var cell = document.querySelector("[data-count='" + key + "']");
      if (cell) { cell.textContent = String(data.counts[key]); }
    });
    if (summary && data.summary) { summary.textContent = data.summary; }
  }

  function offerRows(data) {
    var count = (waiting ? waiting.count : 0) + data.arrived;
    var html = data.rows_html + (waiting ? waiting.html : "");
    waiting = {html: html, count: count, more: data.more || (waiting && waiting.more)};
    if (waiting.more) {
      showButton.hidden = true;
      reloadLink.hidden = false;
    } else {
      showButton.hidden = false;
    }
    say(data.message);
  }

  function received(data) {
    setCounts(data);
    var grew = data.counts.total !== total;
    total = data.counts.total;
    cursor = String(data.cursor);
    if (data.arrived > 0) {
      offerRows(data);
    } else if (grew && !waiting) {
      // Rows came or went without being new here (a hand-down, someone else's work).
      reloadLink.hidden = false;
      say(box.getAttribute("data-changed"));
    }
  }

  function poll() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(liveUrl(), {headers: {"Accept": "application/json"}, credentials: "same-origin", redirect: "error"})
      .then(function (response) {
        if (response.status === 400 || response.status === 404) {
          // The filters or the queue are not ours to follow: stop asking.
          throw {stop: true};
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        received(data);
        delay = interval;
        box.setAttribute("data-polls", String((parseInt(box.getAttribute("data-polls"), 10) || 0) + 1));
      })
      .catch(function (error) {
        if (error && error.stop) { delay = null; return; }
        delay = Math.min((delay || interval) * 2, MAX_DELAY);
      })
      .then(function () {
        busy = false;
        box.setAttribute("data-delay", String(delay || 0));
        if (delay) { schedule(delay); }
      });
  }

  function showRows() {
    if (!waiting) { return; }
    var holder = document.createElement("tbody");
    holder.innerHTML = waiting.html;
    var rows = Array.prototype.slice.call(holder.rows);
    rows.forEach(function (row) {
      var old = body.querySelector("tr[data-row-id='" + row.getAttribute("data-row-id") + "']");
      if (old) { old.parentNode.removeChild(old); }
    });
    var empty = body.querySelector("tr.empty-row");
    if (empty) { empty.parentNode.removeChild(empty); }
    for (var i = rows.length - 1; i >= 0; i -= 1) { body.insertBefore(rows[i], body.firstChild); }
    waiting = null;
    showButton.hidden = true;
    say(box.getAttribute("data-inserted"));
    var link = rows.length ? rows[0].querySelector("a") : null;
    if (link) { link.focus(); }
    document.dispatchEvent(new CustomEvent("queue:rows-added"));
  }

  showButton.addEventListener("click", showRows);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else if (delay) {
      poll();
    }
  });
  schedule(delay);
}());
