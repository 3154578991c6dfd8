// Documents already digitised for a record's applicant, at any counter of
// the city: the hub's lookup listed, one attached to a component by
// reference (DuocTaiSuDung), and how a reused document is named.

import { call } from "../api";
import { type Ref, createRef, html, nothing, notice, openDialog, ref, showError } from "../dom";
import { t } from "../i18n";
import type { RecordView } from "../bindings/RecordView";
import type { ReusableDocument } from "../bindings/ReusableDocument";
import type { Reused } from "../bindings/Reused";

/** A document's kind as the record screen names it. */
export function kindLabel(role: string): string {
  return role === "certified" ? t("ui-certification") : "PDF/A";
}

/** The day of an RFC 3339 time as people here write it: dd/mm/yyyy. */
function day(at: string): string {
  const [y, m, d] = at.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

export function reusedLabel(d: Reused): string {
  const from = t("ui-reused-from", { code: d.original_code, unit: d.unit, sealed: day(d.sealed_at) });
  return `${kindLabel(d.role)} · ${from} · ${Math.round(d.size / 1024)} KB`;
}

/** What was already digitised for the applicant at any counter (the hub's
 * lookup, audited): each document may be attached to one of this record's
 * components by reference, the one of the same code offered first. */
export async function showReusable(
  r: RecordView,
  rerender: () => Promise<void>,
  status: Ref<HTMLElement>,
): Promise<void> {
  let docs: ReusableDocument[];
  try {
    docs = await call("reusable", { code: r.code });
  } catch (err) {
    showError(status, err);
    return;
  }
  const problem = createRef<HTMLElement>();
  const attach = async (d: ReusableDocument, form: HTMLFormElement, close: () => void) => {
    const component = Number(new FormData(form).get("component"));
    try {
      const done = await call("reuse_attach", { code: r.code, component, sha256: d.sha256 });
      close();
      notice(status, t("reuse-attached", { original: done.original_code, unit: done.unit, component }));
    } catch (err) {
      showError(problem, err);
    }
  };
  const item = (d: ReusableDocument, close: () => void) => {
    const same = r.components.find((c) => c.code === d.component_code) ?? r.components[0];
    return html`<li data-sha256=${d.sha256} data-role=${d.role}>
      <p>
        <strong>${d.component_code} — ${d.component_name}</strong> · ${kindLabel(d.role)} · ${Math.round(d.size / 1024)}
        KB
      </p>
      <p class="muted">${t("ui-reused-from", { code: d.record_code, unit: d.unit, sealed: day(d.sealed_at) })}</p>
      <form
        class="row"
        @submit=${(e: Event) => {
          e.preventDefault();
          void attach(d, e.target as HTMLFormElement, close);
        }}
      >
        <label
          >${t("ui-reuse-attach")}
          <select name="component">
            ${r.components.map(
              (c) =>
                html`<option value=${c.ordinal} ?selected=${c === same}>${c.ordinal}. ${c.code} — ${c.name}</option>`,
            )}
          </select>
        </label>
        <button type="submit">${t("ui-reuse-do")}</button>
      </form>
    </li>`;
  };
  openDialog(
    "reuse",
    (close) =>
      html`<h2>${t("ui-reuse-title", { id: r.applicant.personal_id ?? "" })}</h2>
        ${r.applicant.identity?.verified ? nothing : html`<p class="warning">${t("ui-reuse-unverified")}</p>`}
        ${
          docs.length
            ? html`<p>${t("reuse-found", { count: docs.length })}</p>
                <ul class="reusable">
                  ${docs.map((d) => item(d, close))}
                </ul>`
            : html`<p class="muted">${t("reuse-none")}</p>`
        }
        <div ${ref(problem)}></div>
        <div class="no-print"><button type="button" class="close" @click=${close}>${t("ui-close")}</button></div>`,
    () => void rerender(),
  );
}
