/* Birthplace autocomplete (RNIV TR-06, issue 12): ARIA combobox with a listbox, keyboard first.
 * Static file, no inline script (Content-Security-Policy). The typed text is POSTed with the CSRF token,
 * never put in a URL. */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function csrfToken(input) {
    var form = input.form;
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setUp(picker) {
    var input = picker.querySelector("input.birthplace-input");
    if (!input || input.disabled || input.readOnly) {
      return;
    }
    var listbox = document.getElementById(input.id + "_listbox");
    var status = document.getElementById(input.id + "_status");
    var url = picker.getAttribute("data-lookup-url");
    var birthDate = document.getElementById(picker.getAttribute("data-birth-date"));
    var options = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var option = options[index];
      if (!option) {
        return;
      }
      input.value = option.getAttribute("data-value");
      status.textContent = "Lieu choisi : " + option.textContent;
      close();
      input.focus();
    }

    function show(results) {
      listbox.textContent = "";
      options = results.map(function (place, i) {
        var option = document.createElement("li");
        option.id = input.id + "_option_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-value", place.value);
        option.className = place.valid ? "" : "birthplace-other-date";
        var name = document.createElement("span");
        name.textContent = place.label;
        var code = document.createElement("span");
        code.className = "birthplace-code";
        code.textContent = place.code;
        option.appendChild(name);
        option.appendChild(code);
        // mousedown, not click: the input keeps its focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        listbox.appendChild(option);
        return option;
      });
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = options.length + " lieu(x) proposé(s) : flèches haut et bas pour choisir, Entrée pour valider.";
      } else {
        close();
        status.textContent = "Aucune commune ni aucun pays de ce nom.";
      }
      active = -1;
    }

    function lookup() {
      var text = input.value.trim();
      if (text.length < MIN_CHARS) {
        close();
        return;
      }
      var body = new URLSearchParams();
      body.append("q", text);
      body.append("birth_date", birthDate ? birthDate.value : "");
      var mine = ++sequence;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(input), "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          if (mine === sequence) {
            show(data.results || []);
          }
        })
        .catch(function () {
          status.textContent = "La liste des lieux est indisponible : saisissez le code officiel géographique.";
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          lookup();
          return;
        }
        highlight(active < options.length - 1 ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open) {
          // Enter picks the highlighted place (or the first) instead of saving the form.
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".birthplace-picker"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
