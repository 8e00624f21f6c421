/* Progressive enhancement: the datalist starts with the usual destinations; typing
   asks the server for matching units. Without script a code, id or name still works.
   The datalist names its input with data-for and the search URL with data-search-url. */
(function () {
  var list = document.getElementById("unit-suggestions");
  if (!list || !window.fetch) { return; }
  var input = document.getElementById(list.getAttribute("data-for") || "");
  if (!input) { return; }
  var url = list.getAttribute("data-search-url");
  var initial = Array.prototype.slice.call(list.children);
  var timer = null;
  var latest = 0;
  function show(options) { list.replaceChildren.apply(list, options); }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { show(initial); return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          if (ticket !== latest) { return; }
          show(data.results.map(function (unit) {
            var option = document.createElement("option");
            option.value = unit.name;
            option.textContent = unit.code + " · " + unit.kind;
            return option;
          }));
        })
        .catch(function () { /* keep the current suggestions */ });
    }, 200);
  });
})();
