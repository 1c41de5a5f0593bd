/* plankg: small progressive enhancements only; every page works without this file. */
(function () {
  "use strict";
  // Source view: bring the highlighted passage to the middle of the screen.
  var mark = document.getElementById("doan");
  if (mark) {
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }
  // SPARQL editor: Ctrl/Cmd+Enter runs the query (Tab keeps moving focus, for keyboard users).
  var editor = document.getElementById("query");
  if (editor && editor.form) {
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        editor.form.submit();
      }
    });
  }
  // SPARQL endpoint form (/sparql): choosing an example puts it in the query box.
  var examples = document.getElementById("sparql-examples");
  if (examples && examples.form) {
    examples.addEventListener("change", function () { examples.form.query.value = examples.value; });
  }
  // Facets start folded on phones, where they would push the results down.
  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    var facets = document.querySelector(".facets details");
    if (facets) { facets.removeAttribute("open"); }
  }
})();
