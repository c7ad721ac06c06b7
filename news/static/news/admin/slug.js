// Pre-fill a slug from a title the Vietnamese way (đ → d, accents dropped), as portal.text.slugify_vi
// does on the server. Django's own URLify writes "đ" as "dj" and drops "ộ", "ế"…, so the admin's
// prepopulated_fields is not used. The slug stops following the title once someone edits it, and a
// slug that is already filled in (a saved post) is left alone.
(function () {
  "use strict";

  function slugifyVi(text) {
    return text
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9\s-]/g, " ")
      .trim()
      .replace(/[\s-]+/g, "-")
      .slice(0, 240)
      .replace(/-+$/, "");
  }

  function follow(sourceId, slugId) {
    const source = document.getElementById(sourceId);
    const slug = document.getElementById(slugId);
    if (!source || !slug || slug.value) {
      return;
    }
    let edited = false;
    slug.addEventListener("input", () => {
      edited = slug.value !== "";
    });
    source.addEventListener("input", () => {
      if (!edited) {
        slug.value = slugifyVi(source.value);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    follow("id_title", "id_slug");
    follow("id_name", "id_slug");
  });
})();
