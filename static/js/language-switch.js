/* The language menu applies the choice at once; without script its "Go" button does. */
(function () {
  document.querySelectorAll("form.lang-switch select[name=language]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
