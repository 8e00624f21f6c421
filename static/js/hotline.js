/* The hotline desk, enhanced: place suggestions as the operator types, and the side
   panel (the caller's history, open orders nearby, knowledge-base results) redrawn
   from server-rendered fragments as the number, category or place change.
   Without script the form still works: the server resolves a typed place name and
   draws the panel on every round trip. */
(function () {
  "use strict";
  var form = document.getElementById("hotline-form");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var urls = {
    places: form.getAttribute("data-places-url"),
    caller: form.getAttribute("data-caller-url"),
    nearby: form.getAttribute("data-nearby-url"),
    knowledge: form.getAttribute("data-knowledge-url"),
    questions: form.getAttribute("data-questions-url")
  };
  var caller = form.elements.namedItem("caller");
  var category = form.elements.namedItem("category");
  var place = form.elements.namedItem("place");
  var kq = form.elements.namedItem("kq");
  var list = document.getElementById("place-suggestions");
  var chosen = document.getElementById("place-chosen");
  var region = document.getElementById("id_region");
  var known = {};   // suggestion path → division code
  var tickets = {}; // the latest request per target, so a slow answer never overwrites a newer one

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function getJSON(url, params) {
    return fetch(url + "?" + new URLSearchParams(params).toString(), {
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) { return response.json(); });
  }

  // The fragments are the server's own templates, escaped there; no script runs in them.
  function redraw(targetId, url, params) {
    var target = document.getElementById(targetId);
    if (!target) { return; }
    var ticket = (tickets[targetId] || 0) + 1;
    tickets[targetId] = ticket;
    getJSON(url, params).then(function (data) {
      if (tickets[targetId] === ticket && typeof data.html === "string") { target.innerHTML = data.html; }
    }).catch(function () { /* keep what the panel shows */ });
  }

  function regionCode() {
    if (region) { return region.value; }
    var checked = form.querySelector("input[name=region]:checked");
    return checked ? checked.value : "";
  }

  function context() {
    return {caller: caller.value, category: category.value, region: regionCode(), place: place.value};
  }

  function refreshCaller() { redraw("caller-panel", urls.caller, context()); }
  function refreshNearby() { redraw("nearby-panel", urls.nearby, context()); }

  // A typed name replaces the list of namesakes the server offered.
  function hiddenRegion() {
    if (region) { return region; }
    var choices = form.querySelector(".place-choices");
    if (choices) { choices.parentNode.removeChild(choices); }
    region = document.createElement("input");
    region.type = "hidden";
    region.name = "region";
    region.id = "id_region";
    place.parentNode.appendChild(region);
    return region;
  }

  function choose(code, path) {
    hiddenRegion().value = code;
    chosen.textContent = code ? chosen.getAttribute("data-prefix") + " " + path : "";
    refreshNearby();
    refreshCaller();
  }

  var suggest = debounce(function () {
    var q = place.value.trim();
    if (!q || known[place.value]) { return; }
    getJSON(urls.places, {q: q}).then(function (data) {
      if (place.value.trim() !== q) { return; }
      known = {};
      list.replaceChildren.apply(list, (data.places || []).map(function (hit) {
        known[hit.path] = hit.code;
        var option = document.createElement("option");
        option.value = hit.path;
        return option;
      }));
    }).catch(function () { /* keep the current suggestions */ });
  }, 150);

  place.addEventListener("input", function () {
    var code = known[place.value];
    if (code) {
      choose(code, place.value);
    } else if (regionCode()) {
      choose("", "");
    }
    suggest();
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "region" && event.target.type === "radio") { refreshNearby(); refreshCaller(); }
  });

  // The category's questions, drawn by the server (hotline_questions) when the
  // category changes; answers already typed to a question of the same code stay.
  var questions = document.getElementById("hotline-questions");
  var questionsTicket = 0;
  function drawnFor() {
    var marker = questions ? questions.querySelector("input[name=questions_for]") : null;
    return marker ? marker.value : "";
  }
  function refreshQuestions() {
    if (!questions || !urls.questions) { return; }
    var params = [["category", category.value]];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name.indexOf("q_") !== 0) { return; }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      params.push([field.name, field.value]);
    });
    var ticket = ++questionsTicket;
    questions.setAttribute("aria-busy", "true");
    getJSON(urls.questions, params).then(function (data) {
      if (ticket === questionsTicket && typeof data.html === "string") { questions.innerHTML = data.html; }
    }).catch(function () {
      if (ticket !== questionsTicket) { return; }
      var failed = document.createElement("p");
      failed.className = "places-error";
      failed.setAttribute("role", "alert");
      failed.textContent = questions.getAttribute("data-failed");
      questions.replaceChildren(failed);
    }).then(function () {
      if (ticket === questionsTicket) { questions.removeAttribute("aria-busy"); }
    });
  }
  // A page drawn again after Back may have its category put back by the browser
  // without the questions that go with it.
  function questionsIfMissing() {
    if (questions && category.value && drawnFor() !== category.value) { refreshQuestions(); }
  }

  category.addEventListener("change", function () { refreshQuestions(); refreshCaller(); refreshNearby(); });
  questionsIfMissing();
  window.addEventListener("pageshow", questionsIfMissing);
  caller.addEventListener("change", refreshCaller);
  caller.addEventListener("input", debounce(function () {
    if (caller.value.replace(/\D/g, "").length >= 7) { refreshCaller(); }
  }, 400));

  // The knowledge-base box searches in place: Enter there searches, it does not save.
  var shown = document.getElementById("id_kq_shown");
  function search(event) {
    event.preventDefault();
    if (shown) { shown.value = kq.value; }
    redraw("knowledge-results", urls.knowledge, {kq: kq.value});
  }
  // With script, Enter here searches in place, so a form sent with a search typed
  // was sent by Save: say the search is shown, and the server saves it.
  kq.addEventListener("input", function () { if (shown) { shown.value = kq.value; } });
  kq.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { search(event); }
  });
  var searchButton = document.getElementById("kb-search");
  if (searchButton) { searchButton.addEventListener("click", search); }
})();
