// Small progressive enhancements; every form also works without JavaScript.
document.addEventListener("htmx:beforeRequest", (event) => {
  const state = event.target.closest("form")?.querySelector(".save-state");
  if (state) { state.textContent = state.dataset.saving || "…"; state.classList.remove("is-failed"); }
});
// A save that never reached the server keeps the input as typed and says so.
for (const name of ["htmx:sendError", "htmx:responseError"]) {
  document.addEventListener(name, (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 422) return;  // the server's answer is swapped in
    const state = event.target.closest("form")?.querySelector(".save-state");
    if (state) { state.textContent = state.dataset.failed || "Not saved"; state.classList.add("is-failed"); }
  });
}
