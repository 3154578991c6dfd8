// A page of a record as a card (thumbnail, badges, turn, move, rescan,
// leave out of the PDF/A or put back, remove), the page seen large beside its PDF, and the thumbnails cache.

import { call } from "../api";
import { type Ref, html, nothing, openDialog } from "../dom";
import { issueLabel, t } from "../i18n";
import type { PageView } from "../bindings/PageView";
import type { RecordView } from "../bindings/RecordView";
import { commandActions, refreshWhileBusy } from "../shell";

export function pageCard(
  code: string,
  page: PageView,
  count: number,
  rerender: () => Promise<void>,
  status: Ref<HTMLElement>,
  scanner: () => { device: string; profile?: string | null },
) {
  const act = commandActions(status, rerender);
  const thenFollow = (action: () => Promise<void>) => async () => {
    await action();
    refreshWhileBusy(rerender);
  };
  const thumbnail = page.thumbnail_id ? thumbnails.get(page.thumbnail_id) : undefined;
  const out = page.left_out;
  return html`<figure
    class=${`page ${page.state} ${out ? "left-out" : ""}`}
    data-page=${page.id}
    data-issues=${page.issues.join(" ")}
    data-left-out=${out ?? ""}
  >
    ${
      thumbnail
        ? html`<img src=${thumbnail} alt=${`${t("ui-pages")} ${page.ordinal}`} />`
        : html`<div class="placeholder">…</div>`
    }
    <figcaption>
      ${page.ordinal} ${page.issues.map((i) => html`<span class=${`badge ${i}`}>${issueLabel(i)}</span>`)}
      ${page.state === "stored" ? html`<span class="badge waiting">${t("ui-waiting-ocr")}</span>` : nothing}
      ${out ? html`<span class="badge left-out">${t(`ui-left-out-${out}`)}</span>` : nothing}
    </figcaption>
    <div class="page-actions">
      <button
        type="button"
        title=${t("ui-move-up")}
        ?disabled=${page.ordinal === 1}
        @click=${act("page_move", { page: page.id, to: page.ordinal - 1 })}
      >
        ←
      </button>
      <button
        type="button"
        title=${t("ui-move-down")}
        ?disabled=${page.ordinal === count}
        @click=${act("page_move", { page: page.id, to: page.ordinal + 1 })}
      >
        →
      </button>
      <button type="button" title=${t("ui-view")} @click=${() => showPage(code, page.id)}>⤢</button>
      <button
        type="button"
        class="turn"
        title=${t("ui-turn")}
        @click=${thenFollow(act("page_turn", { page: page.id, degrees: 90 }))}
      >
        ↻
      </button>
      <button
        type="button"
        class="rescan"
        title=${t("ui-rescan")}
        @click=${thenFollow(() => act("page_rescan", { page: page.id, device: scanner().device, profile: scanner().profile })())}
      >
        ⟳
      </button>
      <button
        type="button"
        class="leave-out"
        title=${out ? t("ui-put-back") : t("ui-leave-out")}
        @click=${act("page_leave_out", { page: page.id, out: !out })}
      >
        ${out ? "⊕" : "⊘"}
      </button>
      <button type="button" class="danger" title=${t("ui-remove")} @click=${act("page_discard", { page: page.id })}>
        ✕
      </button>
    </div>
  </figure>`;
}

export async function showPage(code: string, page: number, component?: number): Promise<void> {
  const img = await call("page_image", { page });
  const pdf = component === undefined ? null : await call("document", { code, component }).catch(() => null);
  openDialog(
    "viewer",
    (close) =>
      html`<div class="side-by-side">
          <figure>
            <figcaption>${t("ui-page-image")}</figcaption>
            <img src=${img} alt=${t("ui-page-image")} />
          </figure>
          ${
            pdf
              ? html`<figure>
                  <figcaption>${t("ui-pdf")}</figcaption>
                  <object data=${pdf} type="application/pdf">${t("ui-pdf")}</object>
                </figure>`
              : nothing
          }
        </div>
        <button type="button" @click=${close}>${t("ui-close")}</button>`,
  );
}

export const thumbnails = new Map<string, string>();

export async function fetchThumbnails(r: RecordView): Promise<void> {
  const missing = r.components.flatMap((c) => c.pages).filter((p) => p.thumbnail_id && !thumbnails.has(p.thumbnail_id));
  if (!missing.length) return;
  const images = await call("thumbnails", { pages: missing.map((p) => p.id) });
  for (const p of missing) if (images[String(p.id)]) thumbnails.set(p.thumbnail_id!, images[String(p.id)]);
}
