// Issue 12: keyboard shortcuts of the desk, on every admin page (a static file: the CSP allows no inline script).
// Alt+R (or "/" outside a field) goes to the patient search box; Alt+N starts a new identity.
(function () {
  "use strict";
  var script = document.currentScript;
  var searchUrl = script.getAttribute("data-search-url");
  var createUrl = script.getAttribute("data-create-url");

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function openSearch() {
    var box = document.getElementById("searchbar");
    if (box && box.form && box.form.id === "changelist-search" && document.body.classList.contains("model-patient")) {
      box.focus();
      box.select();
    } else if (searchUrl) {
      window.location.assign(searchUrl);
    }
  }

  document.addEventListener("keydown", function (event) {
    var key = (event.key || "").toLowerCase();
    if (event.altKey && !event.ctrlKey && !event.metaKey && key === "r") {
      event.preventDefault();
      openSearch();
    } else if (event.altKey && !event.ctrlKey && !event.metaKey && key === "n" && createUrl) {
      event.preventDefault();
      window.location.assign(createUrl);
    } else if (key === "/" && !event.altKey && !event.ctrlKey && !event.metaKey && !typing(event.target)) {
      event.preventDefault();
      openSearch();
    }
  });
})();
