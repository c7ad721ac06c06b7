// The portal's own small scripts. No inline scripts anywhere, so a strict Content Security
// Policy can forbid them.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A wide table scrolls sideways inside its frame on a phone (Bootstrap's .table-responsive, or
// any box around a table with overflow-x auto). When the frame really scrolls and holds nothing
// that takes the keyboard focus, it becomes focusable itself (named by the table's caption or the
// section's heading), so that keyboard users can scroll it too.
function labelForScroller(frame) {
  const caption = frame.querySelector("caption");
  if (caption && caption.textContent.trim()) {
    return caption.textContent.trim();
  }
  const section = frame.closest("section[aria-labelledby]");
  const heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
  return heading ? heading.textContent.trim() : "";
}

function makeScrollersFocusable() {
  const focusable = "a[href], button, input, select, textarea, [tabindex]";
  const frames = new Set(document.querySelectorAll(".table-responsive"));
  document.querySelectorAll("table").forEach((table) => {
    const parent = table.parentElement;
    if (parent && ["auto", "scroll"].includes(getComputedStyle(parent).overflowX)) {
      frames.add(parent);
    }
  });
  frames.forEach((frame) => {
    const scrolls = frame.scrollWidth > frame.clientWidth + 1;
    const managed = frame.dataset.scrollFocus === "1";
    if (scrolls && !managed && !frame.querySelector(focusable)) {
      frame.tabIndex = 0;
      frame.dataset.scrollFocus = "1";
      const label = labelForScroller(frame);
      if (label) {
        frame.setAttribute("role", "group");
        frame.setAttribute("aria-label", label);
      }
    } else if (!scrolls && managed) {
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
      delete frame.dataset.scrollFocus;
    }
  });
}

document.addEventListener("DOMContentLoaded", makeScrollersFocusable);
let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(makeScrollersFocusable, 150);
});
