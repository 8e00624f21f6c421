/* Intake form: cascading place selects, the description counter, and what this
   history entry's form holds. The form works without this file; it only saves the
   "Update places" round trip. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  if (!form) { return; }

  var district = form.elements.namedItem("district");
  var street = form.elements.namedItem("street");
  var community = form.elements.namedItem("community");
  var token = form.elements.namedItem("submission_token");
  var placesError = document.getElementById("places-error");
  var childrenUrl = form.getAttribute("data-children-url");
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

  function resetSelect(select, keepFirst) {
    while (select.options.length > (keepFirst ? 1 : 0)) {
      select.remove(select.options.length - 1);
    }
    select.value = "";
  }

  function setPlaceholder(select, filled) {
    var text = select.getAttribute(filled ? "data-placeholder" : "data-empty-placeholder");
    if (text && select.options.length) { select.options[0].text = text; }
  }

  function fillSelect(select, children) {
    resetSelect(select, true);
    setPlaceholder(select, true);
    children.forEach(function (child) {
      select.add(new Option(child.name, child.code));
    });
  }

  function hasOption(select, code) {
    return Boolean(code) && Array.prototype.some.call(select.options, function (o) { return o.value === code; });
  }

  // Division codes nest by prefix: a list drawn for `parent` holds codes starting with it.
  function listedFor(select, parent) {
    return select.options.length > 1 && select.options[1].value.indexOf(parent) === 0;
  }

  function fetchChildren(code, select) {
    placesError.hidden = true;
    select.setAttribute("aria-busy", "true");
    return fetch(childrenUrl.replace("CODE", encodeURIComponent(code)), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { fillSelect(select, data.children || []); })
      .catch(function () { placesError.hidden = false; })
      .then(function () { select.removeAttribute("aria-busy"); });
  }

  function loadChildren(code, select, next) {
    resetSelect(select, true);
    if (next) { resetSelect(next, true); }
    if (!code) {
      setPlaceholder(select, false);
      return null;
    }
    return fetchChildren(code, select);
  }

  // What this history entry's form holds, kept in the entry itself (history.state).
  // A page the browser draws again after Back, from the network, comes with the
  // server's fresh token and empty street and community lists; the entry puts back
  // the token the form was sent with (so a resend finds the complaint it filed) and
  // the places that were chosen. A new visit is a new entry and gets a new token.
  function saved() {
    var state = window.history && history.state;
    return (state && typeof state === "object" && state.intake) || {};
  }

  function remember() {
    if (!window.history || !history.replaceState) { return; }
    var state = {};
    var current = history.state;
    if (current && typeof current === "object") {
      Object.keys(current).forEach(function (key) { state[key] = current[key]; });
    }
    state.intake = {token: token.value, district: district.value, street: street.value, community: community.value};
    try { history.replaceState(state, ""); } catch (error) { /* a full or refused history: nothing to keep */ }
  }

  // Make sure `select` lists the places below `parent`, then choose `wanted` in it.
  function ensureList(select, parent, wanted) {
    var choose = function () {
      if (!select.value && hasOption(select, wanted)) { select.value = wanted; }
    };
    if (listedFor(select, parent)) {
      choose();
      return Promise.resolve();
    }
    return fetchChildren(parent, select).then(choose);
  }

  var restoring = null;

  // The lists as the selected values say they should be: the browser may have put
  // back the district (from its form memory or its page cache) without the lists
  // that go with it.
  function restorePlaces() {
    if (restoring) { return restoring; }
    var memory = saved();
    if (UUID.test(memory.token || "") && token.value !== memory.token) { token.value = memory.token; }
    if (!district.value && hasOption(district, memory.district)) { district.value = memory.district; }
    if (!district.value) {
      remember();
      return Promise.resolve();
    }
    var same = memory.district === district.value;
    var wantedStreet = street.value || (same ? memory.street : "");
    var wantedCommunity = community.value || (same && memory.street === wantedStreet ? memory.community : "");
    restoring = ensureList(street, district.value, wantedStreet)
      .then(function () { return street.value ? ensureList(community, street.value, wantedCommunity) : null; })
      .then(function () { restoring = null; remember(); }, function () { restoring = null; });
    return restoring;
  }

  district.addEventListener("change", function () {
    var loading = loadChildren(district.value, street, community);
    remember();
    if (loading) { loading.then(remember); }
  });
  street.addEventListener("change", function () {
    var loading = loadChildren(street.value, community, null);
    remember();
    if (loading) { loading.then(remember); }
  });
  community.addEventListener("change", remember);
  restorePlaces();
  // Coming back from the page cache, the form is as it was left; coming back
  // otherwise, restorePlaces above has done the work. Either way, check again.
  window.addEventListener("pageshow", restorePlaces);

  var description = form.elements.namedItem("description");
  var counter = document.getElementById("description-counter");
  var max = parseInt(description.getAttribute("maxlength"), 10) || 2000;

  function updateCounter() {
    // Line breaks count as one character, as the server counts them.
    var used = description.value.replace(/\r\n/g, "\n").length;
    counter.textContent = used + " / " + max;
    var near = used > max * 0.9;
    counter.classList.toggle("near-limit", near);
    // Announce the count only near the limit, not on every keystroke.
    counter.setAttribute("aria-live", near ? "polite" : "off");
  }

  counter.hidden = false;
  var describedBy = description.getAttribute("aria-describedby");
  description.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
  description.addEventListener("input", updateCounter);
  updateCounter();

  // A double click sends one request; the server's token covers everything else.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sending") === "1") {
      event.preventDefault();
      return;
    }
    remember();
    form.setAttribute("data-sending", "1");
  });
  window.addEventListener("pageshow", function () { form.removeAttribute("data-sending"); });

  // After a refused submit, take keyboard and screen-reader users to the summary.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
}());

/* The category's extra questions: when the category changes, ask the categories API
   for its questions and draw them as the server would. The words come from the
   container's data attributes (translated by the template); the questions' own words
   come in both languages and the page's language picks one. Without this script the
   server draws them when the form is redrawn. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  var box = document.getElementById("questions");
  if (!form || !box || !window.fetch) { return; }
  var category = form.elements.namedItem("category");
  var english = (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0;
  var latest = 0;

  function words(chinese, englishText) {
    return english && englishText ? englishText : chinese;
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function labelText(question) {
    var text = words(question.prompt, question.prompt_en);
    return question.required ? text : text + " " + box.getAttribute("data-optional");
  }

  function control(question, id, name) {
    var kind = question.datatype;
    if (kind === "text") {
      return element("textarea", {name: name, id: id, rows: "3", maxlength: "500"});
    }
    if (kind === "singlevaluelist") {
      var select = element("select", {name: name, id: id});
      select.add(new Option(box.getAttribute("data-choose"), ""));
      question.values.forEach(function (choice) {
        select.add(new Option(words(choice.name, choice.name_en), choice.key));
      });
      return select;
    }
    var types = {number: "number", datetime: "datetime-local"};
    var input = element("input", {type: types[kind] || "text", name: name, id: id});
    if (kind === "number") { input.setAttribute("step", "any"); input.setAttribute("inputmode", "decimal"); }
    if (kind === "string") { input.setAttribute("maxlength", "500"); }
    return input;
  }

  function checkboxes(question, id, name, field) {
    var fieldset = element("fieldset");
    fieldset.appendChild(element("legend", {}, labelText(question)));
    hint(question, id, fieldset);
    var list = element("div", {id: id});
    question.values.forEach(function (choice, index) {
      var label = element("label", {"for": id + "_" + index});
      label.appendChild(element("input", {type: "checkbox", name: name, value: choice.key, id: id + "_" + index}));
      label.appendChild(document.createTextNode(" " + words(choice.name, choice.name_en)));
      var row = element("div");
      row.appendChild(label);
      list.appendChild(row);
    });
    fieldset.appendChild(list);
    field.appendChild(fieldset);
  }

  function hint(question, id, parent) {
    if (!question.datatype_description) { return null; }
    parent.appendChild(element("p", {"class": "helptext", id: id + "_helptext"}, question.datatype_description));
    return id + "_helptext";
  }

  function draw(questions) {
    box.textContent = "";
    questions.forEach(function (question) {
      if (!question.variable) {
        box.appendChild(element("p", {"class": "question-note"}, words(question.prompt, question.prompt_en)));
        return;
      }
      var name = "q_" + question.code;
      var id = "id_" + name;
      var field = element("div", {"class": "field"});
      if (question.datatype === "multivaluelist") {
        checkboxes(question, id, name, field);
      } else {
        field.appendChild(element("label", {"for": id}, labelText(question)));
        var described = hint(question, id, field);
        var input = control(question, id, name);
        if (described) { input.setAttribute("aria-describedby", described); }
        field.appendChild(input);
      }
      box.appendChild(field);
    });
  }

  function failed() {
    box.textContent = "";
    box.appendChild(element("p", {"class": "places-error", role: "alert"}, box.getAttribute("data-failed")));
  }

  function load() {
    var ticket = ++latest;
    if (!/^[0-9]+$/.test(category.value)) { draw([]); return; }
    box.setAttribute("aria-busy", "true");
    fetch(box.getAttribute("data-url").replace(/0\/$/, category.value + "/"), {
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { if (ticket === latest) { draw(data.questions || []); } })
      .catch(function () { if (ticket === latest) { failed(); } })
      .then(function () { if (ticket === latest) { box.removeAttribute("aria-busy"); } });
  }

  // A page drawn again after Back may have its category put back by the browser
  // (as late as "pageshow") without the questions that go with it.
  function drawIfMissing() {
    if (category.value && !box.children.length && !box.hasAttribute("aria-busy")) { load(); }
  }

  category.addEventListener("change", load);
  drawIfMissing();
  window.addEventListener("pageshow", drawIfMissing);
}());

/* The optional map pin: "Use my location" asks the browser (geolocation API) and
   fills the hidden latitude/longitude fields; the map (intake-map.js) sets them too.
   "Remove my location" is there only while there is a pin. No map tiles and no
   network here; the server checks the values. Without script the buttons stay
   hidden and the form works as before. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var useButton = document.getElementById("pin-use");
  var clearButton = document.getElementById("pin-clear");
  var status = document.getElementById("pin-status");
  if (!form || !lat || !lng || !useButton || !clearButton || !status) { return; }

  var canLocate = Boolean(navigator.geolocation);
  useButton.hidden = !canLocate;
  useButton.parentNode.hidden = false;

  function hasPin() { return Boolean(lat.value && lng.value); }

  function show(message) {
    clearButton.hidden = !hasPin();
    status.textContent = message || "";
  }

  show(hasPin() ? status.getAttribute("data-added") : "");
  // Back from the page cache: the fields are as they were left; say so again.
  window.addEventListener("pageshow", function () { clearButton.hidden = !hasPin(); });

  useButton.addEventListener("click", function () {
    if (!canLocate) { return; }
    useButton.disabled = true;
    status.textContent = status.getAttribute("data-busy");
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      useButton.disabled = false;
      show(status.getAttribute("data-added"));
      lat.dispatchEvent(new Event("change"));  // the map (intake-map.js) follows
    }, function () {
      useButton.disabled = false;
      show(status.getAttribute("data-failed"));
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  // The map sets or clears the pin itself and says so.
  form.addEventListener("pin:set", function () {
    show(hasPin() ? status.getAttribute("data-added") : "");
  });

  clearButton.addEventListener("click", function () {
    lat.value = "";
    lng.value = "";
    show("");
    lat.dispatchEvent(new Event("change"));
    useButton.focus();
  });
}());
