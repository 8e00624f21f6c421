/* Progressive enhancement for the reply-template (常用语) pickers on the order page:
   choosing a template puts its text (the option's data-text) into the form's field
   named by the select's data-fills, unless someone has typed there already.
   Without script the server copies the template into an empty field on submit. */
(function () {
  var pickers = document.querySelectorAll("select.reply-template");
  Array.prototype.forEach.call(pickers, function (select) {
    var field = select.form && select.form.elements[select.getAttribute("data-fills")];
    if (!field) { return; }
    var filled = "";
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var text = option ? option.getAttribute("data-text") : null;
      if (text === null) { return; }
      if (field.value.trim() === "" || field.value === filled) {
        field.value = text;
        filled = text;
        field.focus();
      }
    });
  });
})();
