// The confirmation every action passes through: a modal <dialog> that Tab and Enter work (Escape cancels).
// Rule: an action runs only after its Confirm button is pressed.

import { byId, h } from "./dom.js";

export function confirmAction(title: string, details: (Node | string)[], confirmLabel: string): Promise<boolean> {
  const old = document.getElementById("confirm");
  old?.remove();
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { id: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, title),
      h("div", { class: "details" }, ...details),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", id: "confirm-cancel", onclick: () => close(false) }, "Cancel"),
        h(
          "button",
          { type: "button", id: "confirm-ok", class: "danger", autofocus: true, onclick: () => close(true) },
          confirmLabel,
        ),
      ),
    ) as HTMLDialogElement;
    const close = (ok: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    dialog.addEventListener("cancel", () => resolve(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    byId("confirm-ok").focus();
  });
}
