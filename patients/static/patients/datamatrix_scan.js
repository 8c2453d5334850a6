// RNIV DM-01 (reverse): a scanner types the Datamatrix INS into the scan field, ending with Enter. The server
// reads it (POST: the traits never go into a URL) and this script fills the identity form with the traits.
(function () {
  "use strict";

  function identityForm() {
    return document.querySelector("#patient_form");
  }

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(field, text, isError) {
    let box = document.getElementById("datamatrix-scan-result");
    if (!box) {
      box = document.createElement("p");
      box.id = "datamatrix-scan-result";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      (field.closest(".form-row") || field.parentElement).appendChild(box);
    }
    box.className = isError ? "errornote" : "datamatrix-read";
    box.textContent = text;
  }

  function fill(form, fields) {
    Object.entries(fields).forEach(([name, value]) => {
      const input = form.querySelector(`[name="${name}"]`);
      if (!input || input.disabled) {
        return;
      }
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  async function read(field) {
    const text = field.value;
    if (!text.trim()) {
      return;
    }
    const form = identityForm();
    const body = new URLSearchParams({ text: text });
    let answer;
    try {
      const response = await fetch(field.dataset.datamatrixRead, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(form), "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) {
      say(field, "Lecture impossible : le serveur ne répond pas. Réessayez ou saisissez les traits.", true);
      return;
    }
    if (answer.error) {
      say(field, answer.error, true);
      return;
    }
    fill(form, answer.fields);
    // The server checks again on saving: traits saved as read mean collection method CB (code-barres).
    fill(form, { datamatrix_scan: text });
    say(field, answer.message, false);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const field = document.querySelector("input[data-datamatrix-read]");
    if (!field) {
      return;
    }
    // A scanner ends with Enter: read the code instead of submitting the half-filled form.
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        read(field);
      }
    });
    field.addEventListener("paste", () => window.setTimeout(() => read(field), 0));
    field.addEventListener("change", () => read(field));
  });
})();
