// Drawing: lit-html's templates (a screen drawn again keeps the elements it
// already had, so what the person typed, opened and focused stays without
// restoring it by hand), the boxes that say what went right or wrong, and
// dialogs over the screen.

import { html, nothing, render, type TemplateResult } from "lit-html";
import { createRef, ref, type Ref } from "lit-html/directives/ref.js";

export { createRef, html, nothing, ref, render, type Ref, type TemplateResult };

export function message(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorBox(err: unknown): TemplateResult {
  return html`<div class="error" role="alert">${message(err)}</div>`;
}

/** Says `text` in a status area a screen drew (its content outlives redraws). */
export function notice(status: Ref<HTMLElement>, text: string, kind: "ok" | "error" = "ok"): void {
  if (status.value) render(html`<div class=${kind} role="status">${text}</div>`, status.value);
}

/** Says what went wrong in a status area a screen drew. */
export function showError(status: Ref<HTMLElement>, err: unknown): void {
  if (status.value) render(errorBox(err), status.value);
}

/** Opens a modal dialog drawn by `content` (given the function that closes it). */
export function openDialog(
  kind: string,
  content: (close: () => void) => TemplateResult,
  onClose: () => void = () => {},
): void {
  const dialog = document.createElement("dialog");
  dialog.className = kind;
  const close = () => {
    dialog.remove();
    onClose();
  };
  render(content(close), dialog);
  document.body.append(dialog);
  dialog.showModal();
}
