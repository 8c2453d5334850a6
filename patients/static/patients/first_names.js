// Issue 12 (RNIV TR-01): the list of first names starts from the first first name, typed once.
// While the list is empty or still equal to what was copied, it follows the first first name.
(function () {
  "use strict";
  function setup() {
    var first = document.getElementById("id_first_name");
    var list = document.getElementById("id_first_names");
    if (!first || !list || list.disabled) {
      return;
    }
    var copied = list.value === "" ? "" : null;
    first.addEventListener("input", function () {
      if (copied !== null && list.value === copied) {
        list.value = first.value;
        copied = first.value;
      }
    });
    list.addEventListener("input", function () {
      copied = null;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
