// A page of a record as a card (thumbnail, badges, turn, move, rescan,
// remove), the page seen large beside its PDF, and the thumbnails cache.

import { call } from "../api";
import { h } from "../dom";
import { issueLabel, t } from "../i18n";
import type { PageView } from "../bindings/PageView";
import type { RecordView } from "../bindings/RecordView";
import { commandActions, refreshWhileBusy } from "../shell";

export function pageCard(
  code: string,
  page: PageView,
  count: number,
  rerender: () => Promise<void>,
  status: HTMLElement,
  device: () => string,
): HTMLElement {
  const act = commandActions(status, rerender);
  const badges = page.issues.map((i) => h("span", { class: `badge ${i}` }, issueLabel(i)));
  if (page.state === "stored") badges.push(h("span", { class: "badge waiting" }, t("ui-waiting-ocr")));
  return h(
    "figure",
    { class: `page ${page.state}`, "data-page": page.id, "data-issues": page.issues.join(" ") },
    page.thumbnail_id && thumbnails.has(page.thumbnail_id)
      ? h("img", { src: thumbnails.get(page.thumbnail_id)!, alt: `${t("ui-pages")} ${page.ordinal}` })
      : h("div", { class: "placeholder" }, "…"),
    h("figcaption", {}, `${page.ordinal}`, ...badges),
    h(
      "div",
      { class: "page-actions" },
      h(
        "button",
        {
          type: "button",
          title: t("ui-move-up"),
          disabled: page.ordinal === 1,
          onclick: act("page_move", { page: page.id, to: page.ordinal - 1 }),
        },
        "←",
      ),
      h(
        "button",
        {
          type: "button",
          title: t("ui-move-down"),
          disabled: page.ordinal === count,
          onclick: act("page_move", { page: page.id, to: page.ordinal + 1 }),
        },
        "→",
      ),
      h("button", { type: "button", title: t("ui-view"), onclick: () => showPage(code, page.id) }, "⤢"),
      h(
        "button",
        {
          type: "button",
          class: "turn",
          title: t("ui-turn"),
          onclick: async () => {
            await act("page_turn", { page: page.id, degrees: 90 })();
            refreshWhileBusy(rerender);
          },
        },
        "↻",
      ),
      h(
        "button",
        {
          type: "button",
          class: "rescan",
          title: t("ui-rescan"),
          onclick: async () => {
            await act("page_rescan", { page: page.id, device: device() })();
            refreshWhileBusy(rerender);
          },
        },
        "⟳",
      ),
      h(
        "button",
        { type: "button", class: "danger", title: t("ui-remove"), onclick: act("page_discard", { page: page.id }) },
        "✕",
      ),
    ),
  );
}

export async function showPage(code: string, page: number, component?: number): Promise<void> {
  const img = await call("page_image", { page });
  const pdf = component === undefined ? null : await call("document", { code, component }).catch(() => null);
  const dialog = h(
    "dialog",
    { class: "viewer" },
    h(
      "div",
      { class: "side-by-side" },
      h("figure", {}, h("figcaption", {}, t("ui-page-image")), h("img", { src: img, alt: t("ui-page-image") })),
      pdf
        ? h(
            "figure",
            {},
            h("figcaption", {}, t("ui-pdf")),
            h("object", { data: pdf, type: "application/pdf" }, t("ui-pdf")),
          )
        : null,
    ),
    h("button", { type: "button", onclick: () => dialog.remove() }, t("ui-close")),
  ) as HTMLDialogElement;
  document.body.append(dialog);
  dialog.showModal();
}

export const thumbnails = new Map<string, string>();

export async function fetchThumbnails(r: RecordView): Promise<void> {
  const missing = r.components.flatMap((c) => c.pages).filter((p) => p.thumbnail_id && !thumbnails.has(p.thumbnail_id));
  if (!missing.length) return;
  const images = await call("thumbnails", { pages: missing.map((p) => p.id) });
  for (const p of missing) if (images[String(p.id)]) thumbnails.set(p.thumbnail_id!, images[String(p.id)]);
}
