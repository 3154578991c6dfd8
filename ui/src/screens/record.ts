// One record: its components with their pages (thumbnails, badges, turn,
// move, rescan, remove), scanning and importing into a component, building
// the PDF/A, sealing and the receipt slip.

import { call, upload } from "../api";
import type { Scan } from "../bindings/Scan";
import { errorBox, h, notice } from "../dom";
import { said, stateLabel, t } from "../i18n";
import type { ComponentView } from "../bindings/ComponentView";
import type { DeviceView } from "../bindings/DeviceView";
import type { RecordView } from "../bindings/RecordView";
import type { SlipView } from "../bindings/SlipView";
import { field, imageTypes, layout, opened, refreshWhileBusy, showTasks } from "../shell";
import { reroute } from "../shell";
import { fetchThumbnails, pageCard } from "./pages";

export function componentCard(
  r: RecordView,
  c: ComponentView,
  devices: DeviceView[],
  rerender: () => Promise<void>,
  status: HTMLElement,
): HTMLElement {
  const docs = c.documents.map((d) =>
    h(
      "span",
      { class: `doc ${d.kind} ${d.stale ? "stale" : ""}` },
      d.stale
        ? t("ui-stale-doc")
        : `${d.kind === "certified" ? t("ui-certification") : "PDF/A"} · ${d.pages} ${t("ui-pages")} · ${Math.round(d.bytes / 1024)} KB`,
    ),
  );
  const device = h(
    "select",
    { name: "device" },
    ...devices.map((d) => h("option", { value: d.id }, d.label)),
  ) as HTMLSelectElement;
  const source = h(
    "select",
    { name: "source" },
    h("option", { value: "feeder" }, t("ui-feeder")),
    h("option", { value: "flatbed" }, t("ui-flatbed")),
    h("option", { value: "feeder_duplex" }, t("ui-duplex")),
  ) as HTMLSelectElement;
  const resolution = h(
    "select",
    { name: "resolution" },
    ...[300, 200, 400, 600].map((d) => h("option", { value: d }, `${d} dpi`)),
  ) as HTMLSelectElement;
  const mode = h(
    "select",
    { name: "mode" },
    h("option", { value: "colour" }, t("ui-colour")),
    h("option", { value: "gray" }, t("ui-gray")),
    h("option", { value: "black_white" }, t("ui-bw")),
  ) as HTMLSelectElement;
  const files = h("input", {
    name: "files",
    type: "file",
    multiple: true,
    accept: imageTypes,
    class: "visually-hidden",
    tabindex: -1,
  }) as HTMLInputElement;
  const scan = async () => {
    try {
      await call("scan", {
        code: r.code,
        component: c.ordinal,
        device: device.value,
        source: source.value as Scan["source"],
        resolution: Number(resolution.value),
        mode: mode.value as Scan["mode"],
      });
      refreshWhileBusy(rerender);
      await showTasks();
    } catch (err) {
      status.replaceChildren(errorBox(err));
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
      status.replaceChildren(errorBox(err));
    }
  };
  const section = h(
    "section",
    { class: "component", "data-component": c.ordinal },
    h(
      "h2",
      {},
      `${c.ordinal}. ${c.code} — ${c.name} `,
      h("small", {}, c.required ? t("ui-required") : t("ui-optional")),
      c.needs_certification ? h("small", { class: "cert" }, ` · ${t("ui-needs-cert")}`) : null,
    ),
    h("div", { class: "docs" }, ...docs),
    c.pages.length
      ? h(
          "div",
          { class: "pages" },
          ...c.pages.map((p) => pageCard(r.code, p, c.pages.length, rerender, status, () => device.value)),
        )
      : h("p", { class: "muted" }, t("ui-no-pages")),
    h(
      "details",
      { class: "scan" },
      h("summary", {}, `${t("ui-scan")} / ${t("ui-import-files")}`),
      h(
        "div",
        { class: "row" },
        field("ui-scanner", device),
        field("ui-source", source),
        field("ui-resolution", resolution),
        field("ui-mode", mode),
        h("button", { type: "button", class: "scan-button", onclick: scan }, t("ui-scan")),
      ),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "import-button", onclick: () => files.click() }, t("ui-import-files")),
        files,
        h("small", { class: "muted" }, t("ui-drop-hint")),
      ),
    ),
  );
  files.addEventListener("change", () => {
    const picked = [...(files.files ?? [])];
    files.value = "";
    void importFiles(picked);
  });
  // Files dragged from the file manager onto the component go where they are dropped.
  section.addEventListener("dragover", (e) => {
    if (e.dataTransfer?.types.includes("Files")) {
      e.preventDefault();
      section.classList.add("drop");
    }
  });
  section.addEventListener("dragleave", () => section.classList.remove("drop"));
  section.addEventListener("drop", (e) => {
    section.classList.remove("drop");
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    void importFiles([...e.dataTransfer.files]);
  });
  return section;
}

/** Thumbnails by their blob's hash: a refresh fetches only new ones. */
export async function recordScreen(code: string): Promise<void> {
  const here = opened();
  const status = h("div", { class: "status" });
  const devices = await call("devices").catch(() => [] as DeviceView[]);
  const render = async () => {
    const r = await call("record", { code });
    await fetchThumbnails(r);
    if (!here()) return; // another screen was opened meanwhile
    const open = r.accepts_pages;
    const build = async () => {
      try {
        await call("build", { code });
        refreshWhileBusy(render);
        await showTasks();
      } catch (err) {
        status.replaceChildren(errorBox(err));
      }
    };
    const seal = async () => {
      try {
        const slip = await call("seal", { code });
        showSlip(slip);
      } catch (err) {
        status.replaceChildren(errorBox(err));
      }
    };
    layout(
      `${t("ui-code")} ${r.code}`,
      h(
        "dl",
        { class: "record-head" },
        h("dt", {}, t("ui-applicant")),
        h("dd", { class: "applicant" }, [r.applicant.name, r.applicant.personal_id].filter(Boolean).join(" · ")),
        h("dt", {}, t("ui-procedure")),
        h("dd", {}, `${r.procedure} — ${r.procedure_name ?? ""}`),
        h("dt", {}, t("ui-state")),
        h(
          "dd",
          {},
          h("span", { class: `state ${r.state}`, id: "record-state" }, stateLabel(r.state)),
          r.state_reason ? ` (${r.state_reason})` : "",
        ),
        h("dt", {}, t("ui-received")),
        h("dd", {}, r.received_at),
      ),
      h(
        "div",
        { class: "actions" },
        open ? h("button", { type: "button", class: "build-button", onclick: build }, t("ui-build")) : null,
        r.can_seal ? h("button", { type: "button", class: "seal-button", onclick: seal }, t("ui-seal")) : null,
        h("button", { type: "button", onclick: async () => showSlip(await call("slip", { code })) }, t("ui-slip")),
      ),
      status,
      ...r.components.map((c) => componentCard(r, c, devices, render, status)),
    );
  };
  await render();
  if (here()) refreshWhileBusy(render);
}

export function showSlip(slip: SlipView): void {
  const qr = h("div", { class: "qr" });
  qr.innerHTML = slip.qr_svg; // generated by our own Rust code from the record code
  const dialog = h(
    "dialog",
    { class: "slip" },
    h("h2", {}, `${t("ui-slip").toUpperCase()}`),
    h("p", {}, slip.agency ?? slip.unit),
    qr,
    h(
      "dl",
      {},
      h("dt", {}, t("ui-code")),
      h("dd", { class: "slip-code" }, slip.code),
      h("dt", {}, t("ui-applicant")),
      h("dd", {}, slip.applicant),
      h("dt", {}, t("ui-procedure")),
      h("dd", {}, `${slip.procedure} — ${slip.procedure_name ?? ""}`),
      h("dt", {}, t("ui-received")),
      h("dd", {}, slip.received_at),
      h("dt", {}, t("ui-pages")),
      h("dd", {}, String(slip.pages)),
    ),
    h(
      "div",
      { class: "no-print" },
      h("button", { type: "button", onclick: () => window.print() }, t("ui-print")),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            dialog.remove();
            reroute();
          },
        },
        t("ui-close"),
      ),
    ),
  ) as HTMLDialogElement;
  document.body.append(dialog);
  dialog.showModal();
}
