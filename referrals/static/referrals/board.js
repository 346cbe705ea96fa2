// The triage board after a card is moved (htmx). The card's form answers in
// place, then the board fetches itself again ("referral-moved"), replacing
// the element that had keyboard focus. So focus goes to the moved card in its
// new column, and the board's live region says where it went.
// Without JavaScript the move form posts and the referral's page answers.
(() => {
  let moved = null; // {cardId, leftHeadingId, message} between the card's answer and the board's

  const announce = (message) => {
    const region = document.getElementById("board-announcement");
    if (!region) return;
    // Emptied first, and filled after the focus has been read out, so each move is heard.
    region.textContent = "";
    setTimeout(() => { region.textContent = message; }, 150);
  };

  const focusOn = (element) => {
    element.setAttribute("tabindex", "-1");
    element.focus();
  };

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!/^referral-\d+$/.test(target.id)) return;
    const card = target.querySelector("article");
    const note = target.querySelector("[data-moved]");
    if (!note) {
      // Refused: the answer shows its errors on the card; focus stays with it.
      if (card) focusOn(card);
      return;
    }
    const column = target.closest("section");
    moved = {
      cardId: target.id,
      leftHeadingId: column ? column.getAttribute("aria-labelledby") : null,
      message: note.textContent.trim(),
    };
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target.id !== "board" || !moved) return;
    const card = document.querySelector(`#${moved.cardId} article`);
    if (card) {
      focusOn(card);
      announce(moved.message);
    } else {
      // Closed, or no longer matching the filters: the column it left takes the focus.
      const heading = moved.leftHeadingId && document.getElementById(moved.leftHeadingId);
      if (heading) focusOn(heading);
      announce(`${moved.message} The board no longer shows it.`);
    }
    moved = null;
  });

  // The board could not be fetched again: the card still shows its answer.
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt.id !== "board" || event.detail.successful || !moved) return;
    const card = document.querySelector(`#${moved.cardId} article`);
    if (card) focusOn(card);
    announce(moved.message);
    moved = null;
  });
})();
