/* Intake form: cascading place selects and the description counter.
   The form works without this file; it only saves the "Update places" round trip. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  if (!form) { return; }

  var district = form.elements.namedItem("district");
  var street = form.elements.namedItem("street");
  var community = form.elements.namedItem("community");
  var placesError = document.getElementById("places-error");
  var childrenUrl = form.getAttribute("data-children-url");

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

  function loadChildren(code, select, next) {
    resetSelect(select, true);
    if (next) { resetSelect(next, true); }
    if (!code) {
      setPlaceholder(select, false);
      return;
    }
    placesError.hidden = true;
    select.setAttribute("aria-busy", "true");
    fetch(childrenUrl.replace("CODE", encodeURIComponent(code)), {
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

  district.addEventListener("change", function () {
    loadChildren(district.value, street, community);
  });
  street.addEventListener("change", function () {
    loadChildren(street.value, community, null);
  });

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

  category.addEventListener("change", function () {
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
  });
}());

/* The optional map pin: "Use my location" asks the browser (geolocation API) and
   fills the hidden latitude/longitude fields. No map tiles and no network; the
   server checks the values. Without script or permission the form works as before. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var useButton = document.getElementById("pin-use");
  var clearButton = document.getElementById("pin-clear");
  var status = document.getElementById("pin-status");
  if (!form || !lat || !lng || !useButton || !clearButton || !status || !navigator.geolocation) { return; }

  useButton.parentNode.hidden = false;

  function show(hasPin, message) {
    clearButton.hidden = !hasPin;
    status.textContent = message || "";
  }

  if (lat.value && lng.value) { show(true, status.getAttribute("data-added")); }

  useButton.addEventListener("click", function () {
    useButton.disabled = true;
    show(false, status.getAttribute("data-busy"));
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lng.value = position.coords.longitude.toFixed(6);
      useButton.disabled = false;
      show(true, status.getAttribute("data-added"));
      lat.dispatchEvent(new Event("change"));  // the map (intake-map.js) follows
    }, function () {
      lat.value = "";
      lng.value = "";
      useButton.disabled = false;
      show(false, status.getAttribute("data-failed"));
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });

  // The map sets or clears the pin itself and says so.
  form.addEventListener("pin:set", function () {
    show(Boolean(lat.value), lat.value ? status.getAttribute("data-added") : "");
  });

  clearButton.addEventListener("click", function () {
    lat.value = "";
    lng.value = "";
    show(false, "");
    lat.dispatchEvent(new Event("change"));
  });
}());
