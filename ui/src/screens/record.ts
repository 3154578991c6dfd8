// One record: its components with their pages (thumbnails, badges, turn,
// move, rescan, remove), scanning and importing into a component, documents
// already digitised for the applicant (reuse.ts), building the PDF/A, sealing
// and the receipt slip.

import { call, upload } from "../api";
import { type Ref, createRef, html, nothing, notice, openDialog, ref, showError } from "../dom";
// The slip's QR code is SVG our own Rust code makes from the record code.
import { unsafeHTML } from "lit-html/directives/unsafe-html.js";
import { repeat } from "lit-html/directives/repeat.js";
import { said, t } from "../i18n";
import type { ComponentView } from "../bindings/ComponentView";
import type { DeviceView } from "../bindings/DeviceView";
import type { ScanProfile } from "../bindings/ScanProfile";
import type { RecordView } from "../bindings/RecordView";
import type { IdentityView } from "../bindings/IdentityView";
import type { SeparatorSheet } from "../bindings/SeparatorSheet";
import type { SlipView } from "../bindings/SlipView";
import { imageTypes, layout, opened, refreshWhileBusy, reroute, showTasks, stateBadge } from "../shell";
import { fetchThumbnails, pageCard } from "./pages";
import { scanArgs, scanFields } from "./scan";
import { kindLabel, reusedLabel, showReusable } from "./reuse";

export function componentCard(
  r: RecordView,
  c: ComponentView,
  devices: DeviceView[],
  profiles: ScanProfile[],
  rerender: () => Promise<void>,
  status: Ref<HTMLElement>,
) {
  const section = createRef<HTMLElement>();
  const scan = async () => {
    try {
      await call("scan", { code: r.code, component: c.ordinal, ...scanArgs(section.value) });
      refreshWhileBusy(rerender);
      await showTasks();
    } catch (err) {
      showError(status, err);
    }
  };
  const importFiles = async (picked: File[]) => {
    if (!picked.length) return;
    try {
      notice(status, `${t("ui-import-files")}: ${picked.map((f) => f.name).join(", ")} …`);
      const uploads = await Promise.all(picked.map(upload));
      const result = await call("import", { code: r.code, component: c.ordinal, files: uploads });
      const parts = [t("ui-pages-imported", { n: result.pages })];
      if (result.already) parts.push(t("ui-pages-already", { n: result.already }));
      parts.push(...result.failed.map(said));
      notice(status, parts.join(" — "), result.failed.length ? "error" : "ok");
      await rerender();
      refreshWhileBusy(rerender);
    } catch (err) {
      showError(status, err);
    }
  };
  const picked = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    void importFiles(files);
  };
  // Files dragged from the file manager onto the component go where they are dropped.
  const dragOver = (e: DragEvent) => {
    if (e.dataTransfer?.types.includes("Files")) {
      e.preventDefault();
      section.value?.classList.add("drop");
    }
  };
  const drop = (e: DragEvent) => {
    section.value?.classList.remove("drop");
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    void importFiles([...e.dataTransfer.files]);
  };
  const docs = c.documents.map(
    (d) =>
      html`<span class=${`doc ${d.kind} ${d.stale ? "stale" : ""}`}
        >${
          d.stale
            ? t("ui-stale-doc")
            : `${kindLabel(d.kind)} · ${d.pages} ${t("ui-pages")} · ${Math.round(d.bytes / 1024)} KB`
        }</span
      >`,
  );
  const reused = c.reused.map((d) => html`<span class="doc reused">${reusedLabel(d)}</span>`);
  return html`<section
    class="component"
    data-component=${c.ordinal}
    ${ref(section)}
    @dragover=${dragOver}
    @dragleave=${() => section.value?.classList.remove("drop")}
    @drop=${drop}
  >
    <h2>
      ${c.ordinal}. ${c.code} — ${c.name} <small>${c.required ? t("ui-required") : t("ui-optional")}</small>
      ${c.needs_certification ? html`<small class="cert"> · ${t("ui-needs-cert")}</small>` : nothing}
    </h2>
    <div class="docs">${docs}${reused}</div>
    ${
      c.pages.length
        ? html`<div class="pages">
            ${repeat(
              c.pages,
              (p) => p.id,
              (p) => pageCard(r.code, p, c.pages.length, rerender, status, () => scanArgs(section.value)),
            )}
          </div>`
        : html`<p class="muted">${t("ui-no-pages")}</p>`
    }
    <details class="scan">
      <summary>${t("ui-scan")} / ${t("ui-import-files")}</summary>
      <div class="row">
        ${scanFields(profiles, devices)}
        <button type="button" class="scan-button" @click=${scan}>${t("ui-scan")}</button>
      </div>
      <div class="row">
        <button
          type="button"
          class="import-button"
          @click=${() => section.value?.querySelector<HTMLInputElement>("input[name=files]")?.click()}
        >
          ${t("ui-import-files")}
        </button>
        <input
          name="files"
          type="file"
          multiple
          accept=${imageTypes}
          class="visually-hidden"
          tabindex="-1"
          @change=${picked}
        />
        <small class="muted">${t("ui-drop-hint")}</small>
      </div>
    </details>
  </section>`;
}

/** Thumbnails by their blob's hash: a refresh fetches only new ones. */
export async function recordScreen(code: string): Promise<void> {
  const here = opened();
  const status = createRef<HTMLElement>();
  const devices = await call("devices").catch(() => [] as DeviceView[]);
  const profiles = await call("scan_profiles").catch(() => [] as ScanProfile[]);
  const render = async () => {
    const r = await call("record", { code });
    await fetchThumbnails(r);
    if (!here()) return; // another screen was opened meanwhile
    const build = async () => {
      try {
        await call("build", { code });
        refreshWhileBusy(render);
        await showTasks();
      } catch (err) {
        showError(status, err);
      }
    };
    const seal = async () => {
      try {
        showSlip(await call("seal", { code }));
      } catch (err) {
        showError(status, err);
      }
    };
    layout(
      `${t("ui-code")} ${r.code}`,
      html`<dl class="record-head">
        <dt>${t("ui-applicant")}</dt>
        <dd class="applicant">${[r.applicant.name, r.applicant.personal_id].filter(Boolean).join(" · ")}</dd>
        ${identity(r.applicant.identity)}
        <dt>${t("ui-procedure")}</dt>
        <dd>${r.procedure} — ${r.procedure_name ?? ""}</dd>
        <dt>${t("ui-state")}</dt>
        <dd>${stateBadge(r.state, "record-state")}${r.state_reason ? ` (${r.state_reason})` : ""}</dd>
        <dt>${t("ui-received")}</dt>
        <dd>${r.received_at}</dd>
      </dl>`,
      html`<div class="actions">
        ${
          r.accepts_pages
            ? html`<button type="button" class="build-button" @click=${build}>${t("ui-build")}</button>`
            : nothing
        }
        ${
          r.can_seal ? html`<button type="button" class="seal-button" @click=${seal}>${t("ui-seal")}</button>` : nothing
        }
        <button type="button" @click=${async () => showSlip(await call("slip", { code }))}>${t("ui-slip")}</button>
        ${
          r.accepts_pages && r.applicant.personal_id
            ? html`<button type="button" class="reuse-button" @click=${() => showReusable(r, render, status)}>
                ${t("ui-reuse")}
              </button>`
            : nothing
        }
        ${
          r.accepts_pages
            ? html`<button
                type="button"
                class="separators-button"
                @click=${async () => showSeparators(await call("separator_sheets", { code }))}
              >
                ${t("ui-separator-sheets")}
              </button>`
            : nothing
        }
      </div>`,
      html`<div class="status" ${ref(status)}></div>`,
      r.components.map((c) => componentCard(r, c, devices, profiles, render, status)),
    );
  };
  await render();
  if (here()) refreshWhileBusy(render);
}

/** The separator sheets, one A4 page each: put in front of a component's
 * pages, a sheet sends them to that component when the stack is scanned. */
function showSeparators(sheets: SeparatorSheet[]): void {
  openDialog(
    "separators",
    (close) =>
      html`${sheets.map(
          (s) =>
            html`<section class="separator-sheet">
              <h2>${t("ui-separator-title")}</h2>
              <div class="qr">${unsafeHTML(s.qr_svg)}</div>
              <p class="separator-name">${s.ordinal}. ${s.code} — ${s.name}</p>
              <p class="muted">${t("ui-separator-hint")}</p>
            </section>`,
        )}
        <div class="no-print">
          <button type="button" @click=${() => window.print()}>${t("ui-print")}</button>
          <button type="button" @click=${close}>${t("ui-close")}</button>
        </div>`,
    reroute,
  );
}

export function showSlip(slip: SlipView): void {
  openDialog(
    "slip",
    (close) =>
      html`<h2>${t("ui-slip").toUpperCase()}</h2>
        <p>${slip.agency ?? slip.unit}</p>
        <div class="qr">${unsafeHTML(slip.qr_svg)}</div>
        <dl>
          <dt>${t("ui-code")}</dt>
          <dd class="slip-code">${slip.code}</dd>
          <dt>${t("ui-applicant")}</dt>
          <dd>${slip.applicant}</dd>
          <dt>${t("ui-procedure")}</dt>
          <dd>${slip.procedure} — ${slip.procedure_name ?? ""}</dd>
          <dt>${t("ui-received")}</dt>
          <dd>${slip.received_at}</dd>
          <dt>${t("ui-pages")}</dt>
          <dd>${slip.pages}</dd>
        </dl>
        <div class="no-print">
          <button type="button" @click=${() => window.print()}>${t("ui-print")}</button>
          <button type="button" @click=${close}>${t("ui-close")}</button>
        </div>`,
    reroute,
  );
}

/** How the applicant's identity was established, and what did not hold. */
function identity(i: IdentityView | null) {
  if (!i) return nothing;
  const problem = (code: string) => {
    if (code === "expired") return t("identity-problem-expired", { expiry: i.card_expiry ?? "" });
    if (code.startsWith("mismatch:")) return t("identity-problem-field", { field: code.slice(9) });
    return t("identity-problem-not-authentic");
  };
  return html`<dt>${t("ui-identity")}</dt>
    <dd class="identity ${i.verified ? "verified" : "not-verified"}">
      ${t(`identity-source-${i.source}`)} · ${i.verified ? t("ui-identity-verified") : t("ui-identity-not-verified")}
      ${
        i.problems.length
          ? html`<ul class="problems">
              ${i.problems.map((p) => html`<li>${problem(p)}</li>`)}
            </ul>`
          : nothing
      }
    </dd>`;
}
