// The portal's own small scripts. No inline scripts anywhere, so a strict Content Security
// Policy can forbid them.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
