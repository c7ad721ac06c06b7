// The printable review: the "Print" button opens the browser's print dialog. Kept out of the
// page so that a strict Content Security Policy can forbid inline scripts.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
