// Confirmations in a <dialog>: a link marked hx-get/hx-target="#confirm-dialog"
// loads the confirmation into the dialog, which then opens. "Keep it" closes it.
// Without JavaScript the same links open the confirmation as a page.
document.addEventListener("htmx:afterSwap", (event) => {
  const dialog = event.detail.target;
  if (dialog.id !== "confirm-dialog" || dialog.open) return;
  dialog.showModal();
  const first = dialog.querySelector("textarea, input:not([type=hidden]), select, button");
  if (first) first.focus();
});
document.addEventListener("click", (event) => {
  const dismiss = event.target.closest("#confirm-dialog [data-confirm-dismiss]");
  if (!dismiss) return;
  event.preventDefault();
  dismiss.closest("dialog").close();
});
document.addEventListener("close", (event) => {
  if (event.target.id === "confirm-dialog") event.target.replaceChildren();
}, true);
