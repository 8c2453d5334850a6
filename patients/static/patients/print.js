// Print buttons of the label and wristband pages (a file, not inline: the CSP forbids inline scripts).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
