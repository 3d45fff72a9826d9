// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select.js-autosubmit")) {
    select.addEventListener("change", () => select.form.submit());
  }
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.copyTarget);
      if (target) navigator.clipboard.writeText(target.value ?? target.textContent);
    });
  }
  for (const button of document.querySelectorAll("button[data-toggle]")) {
    const target = document.getElementById(button.dataset.toggle);
    if (!target) continue;
    button.addEventListener("click", () => {
      const open = target.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});

// Organisation picker: choosing a match writes it into the box (the list comes by htmx).
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".org-picker [data-fill]");
  if (!choice) return;
  event.preventDefault();
  const picker = choice.closest(".org-picker");
  const input = picker.querySelector("input.org-picker__input");
  input.value = choice.dataset.fill;
  picker.querySelector(".org-picker__matches").replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.focus();
});
document.addEventListener("htmx:afterSwap", (event) => {
  const list = event.target;
  if (!list.classList || !list.classList.contains("org-picker__matches")) return;
  const input = list.closest(".org-picker").querySelector("input.org-picker__input");
  input.setAttribute("aria-expanded", list.querySelector("[data-fill]") ? "true" : "false");
});
