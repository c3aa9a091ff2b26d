// Đôn đốc: the few behaviours the pages add on top of htmx. Everything works without this
// file (plain forms and links); it only makes some steps quicker. No inline scripts.
"use strict";

// A text box that narrows a list of choices: <input data-filter-list="ID"> hides the
// items of #ID (elements with data-filter-text) that do not contain what is typed,
// ignoring case and Vietnamese diacritics ("so y te" finds "Sở Y tế").
function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
    .replace(/Đ/g, "D").toLowerCase();
}

document.addEventListener("input", function (event) {
  const box = event.target.closest("[data-filter-list]");
  if (!box) return;
  const list = document.getElementById(box.dataset.filterList);
  if (!list) return;
  const wanted = fold(box.value.trim());
  list.querySelectorAll("[data-filter-text]").forEach(function (item) {
    item.hidden = wanted !== "" && !fold(item.dataset.filterText).includes(wanted);
  });
});

// A button that removes the row it sits in: <button data-remove-closest=".task-row">.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-remove-closest]");
  if (!button) return;
  const row = button.closest(button.dataset.removeClosest);
  if (!row) return;
  const container = row.parentElement;
  row.remove();
  const focusTarget = container && container.querySelector("input, select, textarea, button");
  if (focusTarget) focusTarget.focus();
});

// Upload progress: a form with data-upload-progress="ID" shows the bytes sent in <progress id=ID>.
document.addEventListener("htmx:xhr:progress", function (event) {
  const form = event.target.closest("[data-upload-progress]");
  if (!form || !event.detail.lengthComputable) return;
  const bar = document.getElementById(form.dataset.uploadProgress);
  if (!bar) return;
  bar.hidden = false;
  bar.max = event.detail.total;
  bar.value = event.detail.loaded;
  const label = bar.nextElementSibling;
  if (label && label.matches("[data-progress-text]")) {
    label.textContent = Math.round((100 * event.detail.loaded) / event.detail.total) + " %";
  }
});
