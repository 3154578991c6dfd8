// HoSo Intake's screens. Plain TypeScript over the DOM: one render function per
// screen, a hash router (#/records, #/record/CODE, …), Alt+digit shortcuts for
// the menu. Every value shown comes from the Rust side through `call`.

import { type ArgList, CallError, type CommandName, call, onTasks, upload } from "./api";
import type { AddAccount } from "./bindings/AddAccount";
import type { Scan } from "./bindings/Scan";
import { type Attrs, type Child, errorBox, h, notice } from "./dom";
import { verifyScreen } from "./verify";
import { issueLabel, isEnglish, recordStates, stateLabel, t, toggleLanguage, type Key } from "./i18n";
import type { ApplicantView } from "./bindings/ApplicantView";
import type { ComponentView } from "./bindings/ComponentView";
import type { DeviceView } from "./bindings/DeviceView";
import type { PageView } from "./bindings/PageView";
import type { RecordView } from "./bindings/RecordView";
import type { SessionView } from "./bindings/SessionView";
import type { SettingView } from "./bindings/SettingView";
import type { SlipView } from "./bindings/SlipView";
import type { TaskView } from "./bindings/TaskView";
import type { TokenView } from "./bindings/TokenView";

const root = document.getElementById("app")!;
/** What the file pickers offer: the formats `import` takes. */
const imageTypes = "image/png,image/jpeg,image/tiff,.png,.jpg,.jpeg,.tif,.tiff";
let session: SessionView | null = null;
let refreshTimer: number | undefined;

function field(label: Key, input: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, t(label)), input);
}

function can(role: "supervisor" | "admin"): boolean {
  const r = session?.user?.role;
  return role === "admin" ? r === "admin" : r === "supervisor" || r === "admin";
}

// ---------------------------------------------------------------- layout

const menu: [Key, string, (() => boolean)?][] = [
  ["records", "#/records"],
  ["newRecord", "#/new"],
  ["certification", "#/certify", () => can("supervisor")],
  ["sync", "#/sync"],
  ["diagnostics", "#/doctor"],
  ["settings", "#/settings"],
  ["accounts", "#/accounts", () => can("admin")],
  ["verify", "#/verify"],
];

function layout(title: string, ...content: Child[]): void {
  const user = session?.user;
  const nav = h("nav", { "aria-label": "menu" });
  menu
    .filter(([, , visible]) => !visible || visible())
    .forEach(([key, href], i) => {
      const active = location.hash.startsWith(href) ? "active" : undefined;
      nav.append(h("a", { href, class: active, title: `Alt+${i + 1}` }, `${i + 1}. ${t(key)}`));
    });
  const header = h(
    "header",
    {},
    h("strong", {}, "HoSo Intake"),
    h("span", { class: "unit" }, [session?.agency, session?.unit].filter(Boolean).join(" · ")),
    h("span", { class: "spacer" }),
    user ? h("span", { class: "user", "data-role": user.role }, `${user.display_name} (${t(user.role as Key)})`) : null,
    h("button", { type: "button", onclick: () => { toggleLanguage(); route(); } }, t("language")),
    user ? h("button", { type: "button", onclick: signOut }, t("signOut")) : null,
  );
  const main = h("main", {}, h("h1", {}, title), ...content);
  const tasks = h("footer", { id: "tasks", "aria-live": "polite" });
  const kept = keepFormState();
  root.replaceChildren(header, h("div", { class: "body" }, nav, main), tasks);
  kept();
  void showTasks();
}

/** A re-render of the same screen (pages arriving) keeps what the person typed,
 * chose, opened and where the focus was. Returns the function that restores it. */
function keepFormState(): () => void {
  const old = root.querySelector("main");
  if (!old || old.getAttribute("data-hash") !== location.hash) {
    return () => root.querySelector("main")?.setAttribute("data-hash", location.hash);
  }
  const key = (el: Element) => `${el.closest("[data-component]")?.getAttribute("data-component") ?? ""}/${el.tagName}/${el.getAttribute("name") ?? ""}`;
  const values = new Map<string, string>();
  old.querySelectorAll("input, select, textarea").forEach((el) => {
    const input = el as HTMLInputElement;
    if (input.type !== "checkbox" && input.type !== "file" && input.name) values.set(key(el), input.value);
  });
  const open = new Set([...old.querySelectorAll("details[open]")].map(key));
  const focused = document.activeElement && old.contains(document.activeElement) ? key(document.activeElement) : null;
  return () => {
    const main = root.querySelector("main")!;
    main.setAttribute("data-hash", location.hash);
    main.querySelectorAll("input, select, textarea").forEach((el) => {
      const v = values.get(key(el));
      if (v !== undefined) (el as HTMLInputElement).value = v;
    });
    main.querySelectorAll("details").forEach((d) => { if (open.has(key(d))) d.setAttribute("open", ""); });
    if (focused) main.querySelectorAll<HTMLElement>("input, select, textarea").forEach((el) => { if (key(el) === focused) el.focus(); });
  };
}

async function showTasks(): Promise<TaskView[]> {
  const box = document.getElementById("tasks");
  if (!box || !session?.user) return [];
  const tasks = await call("tasks").catch(() => [] as TaskView[]);
  const recent = tasks.slice(-4).reverse();
  box.replaceChildren(
    h("span", {}, `${t("tasks")}:`),
    ...recent.map((task) =>
      h("span", { class: `task ${task.state}`, "data-kind": task.kind }, `${task.kind}${task.record ? " " + task.record : ""}: ${task.state === "running" ? "…" : ""} ${task.message}`),
    ),
  );
  return tasks;
}

/** While tasks run, re-render the screen every second (pages appear as scanned and read). */
let currentRender: { hash: string; render: () => Promise<void> } | null = null;

function refreshWhileBusy(render: () => Promise<void>, wasBusy = true): void {
  const hash = location.hash;
  currentRender = { hash, render };
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(async () => {
    // The person went to another screen meanwhile: this one no longer draws.
    if (location.hash !== hash) return;
    const tasks = await showTasks();
    const busy = tasks.some((task) => task.state === "running");
    // Once more after the last task ends, so its result shows.
    if (busy || wasBusy) await render().catch(() => {});
    refreshWhileBusy(render, busy);
  }, 1000);
}

async function signOut(): Promise<void> {
  await call("logout");
  session = await call("session");
  location.hash = "#/login";
}

// ---------------------------------------------------------------- screens

function loginScreen(): void {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autofocus: true }) as HTMLInputElement;
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true }) as HTMLInputElement;
  const status = h("div");
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await call("login", { username: username.value, password: password.value });
          session = await call("session");
          location.hash = "#/records";
        } catch (err) {
          status.replaceChildren(errorBox(err));
          password.select();
        }
      },
    },
    h("h1", {}, `HoSo Intake — ${t("appName")}`),
    session?.no_accounts ? h("p", { class: "error" }, t("noAccounts")) : null,
    field("username", username),
    field("password", password),
    h("button", { type: "submit" }, t("signIn")),
    h("button", { type: "button", class: "link", onclick: () => { toggleLanguage(); loginScreen(); } }, t("language")),
    status,
  );
  root.replaceChildren(form);
  username.focus();
}

/** Remembers the screen (hash) a screen function was opened for. A screen that
 * waited on Rust (devices, the doctor, a slow query) draws only if the person
 * is still there; otherwise it would cover the screen they went to. */
function opened(): () => boolean {
  const hash = location.hash;
  return () => location.hash === hash;
}

async function recordsScreen(): Promise<void> {
  const here = opened();
  const filter = new URLSearchParams(location.hash.split("?")[1] ?? "").get("state") ?? "";
  const rows = await call("records", { state: filter || null });
  const select = h(
    "select",
    { name: "state", onchange: (e: Event) => { location.hash = `#/records?state=${(e.target as HTMLSelectElement).value}`; } },
    h("option", { value: "" }, t("all")),
    ...recordStates.map((s) => h("option", { value: s, selected: s === filter }, stateLabel(s))),
  );
  const table = h(
    "table",
    { class: "records" },
    h("thead", {}, h("tr", {}, ...(["code", "applicant", "procedure", "state", "received", "pages"] as Key[]).map((k) => h("th", {}, t(k))))),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: `#/record/${r.code}` }, r.code)),
          h("td", {}, r.applicant),
          h("td", {}, r.procedure),
          h("td", {}, h("span", { class: `state ${r.state}` }, stateLabel(r.state))),
          h("td", {}, r.received_at),
          h("td", {}, `${r.pages}${r.pages_pending ? ` (${r.pages_pending} ${t("waitingOcr")})` : ""}`),
        ),
      ),
    ),
  );
  if (!here()) return;
  layout(t("records"), field("state", select), table);
}

async function newRecordScreen(): Promise<void> {
  const here = opened();
  const procedures = await call("procedures");
  const checklist = h("ul", { class: "checklist" });
  const procedure = h("select", { name: "procedure", required: true }) as HTMLSelectElement;
  for (const p of procedures) procedure.append(h("option", { value: p.code }, `${p.code} — ${p.name}`));
  const showChecklist = () => {
    const p = procedures.find((x) => x.code === procedure.value);
    checklist.replaceChildren(
      ...(p?.components ?? []).map((c) =>
        h("li", {}, h("b", {}, c.code), ` ${c.name} `, h("small", {}, c.required ? t("required") : t("optional")), c.needs_certification ? h("small", { class: "cert" }, ` · ${t("needsCert")}`) : null),
      ),
    );
  };
  procedure.addEventListener("change", showChecklist);
  showChecklist();
  const input = (name: string, attrs: Attrs = {}) => h("input", { name, ...attrs }) as HTMLInputElement;
  const name = input("name", { required: true });
  const personalId = input("personal_id", { inputmode: "numeric", pattern: "[0-9]{12}" });
  const phone = input("phone", { inputmode: "tel" });
  const address = input("address");
  const cardFile = input("card_file", { type: "file", accept: imageTypes, class: "visually-hidden", tabindex: -1 });
  const status = h("div");
  cardFile.addEventListener("change", () => {
    const file = cardFile.files?.[0];
    cardFile.value = "";
    if (file) void readCard(file);
  });
  /** A picked card image, or the card on the scanner's glass. */
  const readCard = async (file?: File) => {
    try {
      notice(status, "…");
      const a = await call("read_card", file ? { file: await upload(file) } : {});
      name.value = a.name;
      personalId.value = a.personal_id ?? "";
      address.value = a.address ?? "";
      notice(status, `${t("readCard")}: ${a.name}`);
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  const form = h(
    "form",
    {
      class: "new-record",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          const applicant: ApplicantView = { name: name.value, personal_id: personalId.value || null, phone: phone.value || null, address: address.value || null };
          const r = await call("record_new", { procedure: procedure.value, applicant });
          location.hash = `#/record/${r.code}`;
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    field("procedure", procedure),
    h("h2", {}, t("checklist")),
    checklist,
    h("fieldset", {}, h("legend", {}, t("applicant")),
      h("div", { class: "row" },
        h("button", { type: "button", class: "read-card", onclick: () => readCard() }, t("readCard")),
        h("button", { type: "button", class: "card-file", onclick: () => cardFile.click() }, t("cardFile")), cardFile),
      field("name", name), field("personalId", personalId), field("phone", phone), field("address", address)),
    h("button", { type: "submit" }, t("create")),
    status,
  );
  if (!here()) return;
  layout(t("newRecord"), form);
  procedure.focus();
}

function pageCard(code: string, page: PageView, count: number, rerender: () => Promise<void>, status: HTMLElement, device: () => string): HTMLElement {
  const act = <C extends CommandName>(command: C, ...args: ArgList<C>) => async () => {
    try {
      await call(command, ...args);
      await rerender();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  const badges = page.issues.map((i) => h("span", { class: `badge ${i}` }, issueLabel(i)));
  if (page.state === "stored") badges.push(h("span", { class: "badge waiting" }, t("waitingOcr")));
  return h(
    "figure",
    { class: `page ${page.state}`, "data-page": page.id, "data-issues": page.issues.join(" ") },
    page.thumbnail_id && thumbnails.has(page.thumbnail_id) ? h("img", { src: thumbnails.get(page.thumbnail_id)!, alt: `${t("pages")} ${page.ordinal}` }) : h("div", { class: "placeholder" }, "…"),
    h("figcaption", {}, `${page.ordinal}`, ...badges),
    h(
      "div",
      { class: "page-actions" },
      h("button", { type: "button", title: t("moveUp"), disabled: page.ordinal === 1, onclick: act("page_move", { page: page.id, to: page.ordinal - 1 }) }, "←"),
      h("button", { type: "button", title: t("moveDown"), disabled: page.ordinal === count, onclick: act("page_move", { page: page.id, to: page.ordinal + 1 }) }, "→"),
      h("button", { type: "button", title: t("view"), onclick: () => showPage(code, page.id) }, "⤢"),
      h("button", { type: "button", class: "turn", title: t("turn"), onclick: async () => { await act("page_turn", { page: page.id, degrees: 90 })(); refreshWhileBusy(rerender); } }, "↻"),
      h("button", { type: "button", class: "rescan", title: t("rescan"), onclick: async () => { await act("page_rescan", { page: page.id, device: device() })(); refreshWhileBusy(rerender); } }, "⟳"),
      h("button", { type: "button", class: "danger", title: t("remove"), onclick: act("page_discard", { page: page.id }) }, "✕"),
    ),
  );
}

async function showPage(code: string, page: number, component?: number): Promise<void> {
  const img = await call("page_image", { page });
  const pdf = component === undefined ? null : await call("document", { code, component }).catch(() => null);
  const dialog = h(
    "dialog",
    { class: "viewer" },
    h("div", { class: "side-by-side" }, h("figure", {}, h("figcaption", {}, t("pageImage")), h("img", { src: img, alt: t("pageImage") })), pdf ? h("figure", {}, h("figcaption", {}, t("pdf")), h("object", { data: pdf, type: "application/pdf" }, t("pdf"))) : null),
    h("button", { type: "button", onclick: () => dialog.remove() }, t("close")),
  ) as HTMLDialogElement;
  document.body.append(dialog);
  dialog.showModal();
}

function componentCard(r: RecordView, c: ComponentView, devices: DeviceView[], rerender: () => Promise<void>, status: HTMLElement): HTMLElement {
  const docs = c.documents.map((d) => h("span", { class: `doc ${d.kind} ${d.stale ? "stale" : ""}` }, d.stale ? t("staleDoc") : `${d.kind === "certified" ? t("certification") : "PDF/A"} · ${d.pages} ${t("pages")} · ${Math.round(d.bytes / 1024)} KB`));
  const device = h("select", { name: "device" }, ...devices.map((d) => h("option", { value: d.id }, d.label))) as HTMLSelectElement;
  const source = h("select", { name: "source" }, h("option", { value: "feeder" }, t("feeder")), h("option", { value: "flatbed" }, t("flatbed")), h("option", { value: "feeder_duplex" }, t("duplex"))) as HTMLSelectElement;
  const resolution = h("select", { name: "resolution" }, ...[300, 200, 400, 600].map((d) => h("option", { value: d }, `${d} dpi`))) as HTMLSelectElement;
  const mode = h("select", { name: "mode" }, h("option", { value: "colour" }, t("colour")), h("option", { value: "gray" }, t("gray")), h("option", { value: "black_white" }, t("bw"))) as HTMLSelectElement;
  const files = h("input", { name: "files", type: "file", multiple: true, accept: imageTypes, class: "visually-hidden", tabindex: -1 }) as HTMLInputElement;
  const scan = async () => {
    try {
      await call("scan", { code: r.code, component: c.ordinal, device: device.value, source: source.value as Scan["source"], resolution: Number(resolution.value), mode: mode.value as Scan["mode"] });
      refreshWhileBusy(rerender);
      await showTasks();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  const importFiles = async (picked: File[]) => {
    if (!picked.length) return;
    try {
      notice(status, `${t("importFiles")}: ${picked.map((f) => f.name).join(", ")} …`);
      const uploads = await Promise.all(picked.map(upload));
      const result = await call("import", { code: r.code, component: c.ordinal, files: uploads });
      const parts = [t("pagesImported").replace("{n}", String(result.pages))];
      if (result.already) parts.push(t("pagesAlready").replace("{n}", String(result.already)));
      parts.push(...result.failed.map((f) => (isEnglish() ? f.en : f.vi)));
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
    h("h2", {}, `${c.ordinal}. ${c.code} — ${c.name} `, h("small", {}, c.required ? t("required") : t("optional")), c.needs_certification ? h("small", { class: "cert" }, ` · ${t("needsCert")}`) : null),
    h("div", { class: "docs" }, ...docs),
    c.pages.length ? h("div", { class: "pages" }, ...c.pages.map((p) => pageCard(r.code, p, c.pages.length, rerender, status, () => device.value))) : h("p", { class: "muted" }, t("noPages")),
    h("details", { class: "scan" }, h("summary", {}, `${t("scan")} / ${t("importFiles")}`),
      h("div", { class: "row" }, field("scanner", device), field("source", source), field("resolution", resolution), field("mode", mode), h("button", { type: "button", class: "scan-button", onclick: scan }, t("scan"))),
      h("div", { class: "row" }, h("button", { type: "button", class: "import-button", onclick: () => files.click() }, t("importFiles")), files, h("small", { class: "muted" }, t("dropHint")))),
  );
  files.addEventListener("change", () => {
    const picked = [...(files.files ?? [])];
    files.value = "";
    void importFiles(picked);
  });
  // Files dragged from the file manager onto the component go where they are dropped.
  section.addEventListener("dragover", (e) => { if (e.dataTransfer?.types.includes("Files")) { e.preventDefault(); section.classList.add("drop"); } });
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
const thumbnails = new Map<string, string>();

async function fetchThumbnails(r: RecordView): Promise<void> {
  const missing = r.components.flatMap((c) => c.pages).filter((p) => p.thumbnail_id && !thumbnails.has(p.thumbnail_id));
  if (!missing.length) return;
  const images = await call("thumbnails", { pages: missing.map((p) => p.id) });
  for (const p of missing) if (images[String(p.id)]) thumbnails.set(p.thumbnail_id!, images[String(p.id)]);
}

async function recordScreen(code: string): Promise<void> {
  const here = opened();
  const status = h("div", { class: "status" });
  const devices = await call("devices").catch(() => [] as DeviceView[]);
  const render = async () => {
    const r = await call("record", { code });
    await fetchThumbnails(r);
    if (!here()) return; // another screen was opened meanwhile
    const open = ["draft", "scanning", "processing", "review"].includes(r.state);
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
      `${t("code")} ${r.code}`,
      h("dl", { class: "record-head" },
        h("dt", {}, t("applicant")), h("dd", { class: "applicant" }, [r.applicant.name, r.applicant.personal_id].filter(Boolean).join(" · ")),
        h("dt", {}, t("procedure")), h("dd", {}, `${r.procedure} — ${r.procedure_name ?? ""}`),
        h("dt", {}, t("state")), h("dd", {}, h("span", { class: `state ${r.state}`, id: "record-state" }, stateLabel(r.state)), r.state_reason ? ` (${r.state_reason})` : ""),
        h("dt", {}, t("received")), h("dd", {}, r.received_at)),
      h("div", { class: "actions" },
        open ? h("button", { type: "button", class: "build-button", onclick: build }, t("build")) : null,
        ["review", "certification"].includes(r.state) ? h("button", { type: "button", class: "seal-button", onclick: seal }, t("seal")) : null,
        h("button", { type: "button", onclick: async () => showSlip(await call("slip", { code })) }, t("slip"))),
      status,
      ...r.components.map((c) => componentCard(r, c, devices, render, status)),
    );
  };
  await render();
  if (here()) refreshWhileBusy(render);
}

function showSlip(slip: SlipView): void {
  const qr = h("div", { class: "qr" });
  qr.innerHTML = slip.qr_svg; // generated by our own Rust code from the record code
  const dialog = h(
    "dialog",
    { class: "slip" },
    h("h2", {}, `${t("slip").toUpperCase()}`),
    h("p", {}, slip.agency ?? slip.unit),
    qr,
    h("dl", {},
      h("dt", {}, t("code")), h("dd", { class: "slip-code" }, slip.code),
      h("dt", {}, t("applicant")), h("dd", {}, slip.applicant),
      h("dt", {}, t("procedure")), h("dd", {}, `${slip.procedure} — ${slip.procedure_name ?? ""}`),
      h("dt", {}, t("received")), h("dd", {}, slip.received_at),
      h("dt", {}, t("pages")), h("dd", {}, String(slip.pages))),
    h("div", { class: "no-print" }, h("button", { type: "button", onclick: () => window.print() }, t("print")), h("button", { type: "button", onclick: () => { dialog.remove(); route(); } }, t("close"))),
  ) as HTMLDialogElement;
  document.body.append(dialog);
  dialog.showModal();
}

async function certifyScreen(): Promise<void> {
  const here = opened();
  const status = h("div", { class: "status" });
  const [queue, tokens] = await Promise.all([
    call("certification_queue"),
    call("tokens").catch((err) => { status.replaceChildren(errorBox(err)); return [] as TokenView[]; }),
  ]);
  if (!location.hash.startsWith("#/certify")) return;
  const certificate = h("select", { name: "certificate" }, ...tokens.map((c) => h("option", { value: c.fingerprint }, `${c.subject} — ${c.token} (${c.not_after})`))) as HTMLSelectElement;
  const pin = h("input", { name: "pin", type: "password", autocomplete: "off", inputmode: "numeric" }) as HTMLInputElement;
  const title = h("input", { name: "title", value: "" }) as HTMLInputElement;
  const boxes = queue.map((r) => h("input", { type: "checkbox", name: "record", value: r.code, checked: true }) as HTMLInputElement);
  const form = h(
    "form",
    {
      class: "certify",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const codes = boxes.filter((b) => b.checked).map((b) => b.value);
        try {
          const task = await call("certify", { codes, pin: pin.value, certificate: certificate.value || null, title: title.value || null });
          pin.value = "";
          notice(status, `${t("certification")}: ${codes.join(", ")} (#${task.id})`);
          refreshWhileBusy(certifyScreen);
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    queue.length
      ? h("table", { class: "queue" }, h("tbody", {}, ...queue.map((r, i) => h("tr", {}, h("td", {}, boxes[i]), h("td", {}, h("a", { href: `#/record/${r.code}` }, r.code)), h("td", {}, r.applicant), h("td", {}, r.procedure), h("td", {}, h("button", { type: "button", onclick: () => previewRecord(r.code) }, t("view")))))))
      : h("p", { class: "muted" }, t("nothingWaiting")),
    field("certificate", certificate),
    field("title", title),
    field("pin", pin),
    h("button", { type: "submit", disabled: !queue.length }, t("certifySelected")),
  );
  if (!here()) return;
  layout(t("certifyQueue"), form, status);
}

async function previewRecord(code: string): Promise<void> {
  const r = await call("record", { code });
  const c = r.components.find((x) => x.needs_certification && x.pages.length) ?? r.components.find((x) => x.pages.length);
  if (c) await showPage(code, c.pages[0].id, c.ordinal);
}

async function syncScreen(): Promise<void> {
  const here = opened();
  const rows = await call("ledger");
  if (!here()) return;
  const status = h("div", { class: "status" });
  const send = async () => {
    try {
      await call("sync");
      refreshWhileBusy(syncScreen);
      await showTasks();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  layout(
    t("ledger"),
    h("button", { type: "button", class: "sync-button", onclick: send }, t("sendNow")),
    status,
    h("table", { class: "ledger" },
      h("thead", {}, h("tr", {}, ...(["code", "state", "attempts", "lastError"] as Key[]).map((k) => h("th", {}, t(k))))),
      h("tbody", {}, ...rows.map((r) => h("tr", { "data-state": r.state }, h("td", {}, h("a", { href: `#/record/${r.record}` }, r.record)), h("td", {}, h("span", { class: `state ${r.state}` }, stateLabel(r.state))), h("td", {}, String(r.attempts)), h("td", {}, r.last_error ?? ""),
        h("td", {}, r.state === "rejected" ? h("button", { type: "button", class: "retry", onclick: async () => { try { await call("sync_retry", { code: r.record }); refreshWhileBusy(syncScreen); await syncScreen(); } catch (err) { status.replaceChildren(errorBox(err)); } } }, t("retry")) : null))))),
  );
}

async function doctorScreen(): Promise<void> {
  const here = opened();
  layout(t("diagnostics"), h("p", { class: "muted" }, "…"));
  const checks = await call("doctor");
  if (!here()) return;
  const mark: Record<string, string> = { ok: "✓", warn: "!", fail: "✗", skip: "–" };
  layout(
    t("diagnostics"),
    h("button", { type: "button", onclick: doctorScreen }, t("runAgain")),
    h("table", { class: "doctor" },
      h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, t("check")), h("th", {}, ""), h("th", {}, t("hint")))),
      h("tbody", {}, ...checks.map((c) => h("tr", { class: c.status, "data-check": c.name }, h("td", {}, mark[c.status] ?? c.status), h("td", {}, c.name), h("td", {}, c.detail), h("td", {}, c.status === "ok" ? "" : c.hint ?? ""))))),
  );
}

async function settingsScreen(saved?: string): Promise<void> {
  const here = opened();
  const s = await call("settings");
  const admin = can("admin");
  const status = h("div", { class: "status" });
  if (saved) notice(status, saved);
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const row = (x: SettingView) => {
    let control: HTMLInputElement | HTMLSelectElement;
    if (x.kind === "bool") {
      control = h("select", { name: x.key }, h("option", { value: "false" }, "false"), h("option", { value: "true" }, "true")) as HTMLSelectElement;
    } else {
      const placeholder = x.kind === "url" ? "https://…" : x.kind === "scanner" ? "sane:… / twain:… / escl:http://…" : "";
      const numeric = x.kind === "number" ? { type: "number", min: "1", step: "1" } : {};
      control = h("input", { name: x.key, spellcheck: false, placeholder, ...numeric }) as HTMLInputElement;
    }
    control.value = x.value;
    control.disabled = !admin || !x.editable;
    if (!control.disabled) inputs.set(x.key, control);
    return h("tr", { "data-key": x.key }, h("th", {}, x.key), h("td", {}, control), h("td", { class: `source ${x.source}` }, t(`src_${x.source}` as Key)));
  };
  const form = h(
    "form",
    {
      class: "settings",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const before = new Map(s.settings.map((x) => [x.key, x.value]));
        const changes = [...inputs].filter(([k, el]) => el.value.trim() !== before.get(k)).map(([k, el]): [string, string] => [k, el.value.trim()]);
        if (!changes.length) return notice(status, t("nothingChanged"));
        try {
          const r = await call("settings_save", { changes });
          session = await call("session"); // the header shows the unit and agency
          await settingsScreen(`${t("saved")}: ${r.changed.join(", ") || t("nothingChanged")}`);
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    h("table", { class: "settings" },
      h("thead", {}, h("tr", {}, h("th", {}, t("setting")), h("th", {}, t("value")), h("th", {}, t("origin")))),
      h("tbody", {}, ...s.settings.map(row))),
    admin ? h("button", { type: "submit" }, t("save")) : null,
  );
  if (!here()) return;
  layout(
    t("settings"),
    h("p", { class: "muted" }, admin ? t("settingsNote") : t("settingsReadOnly")),
    h("p", {}, `${t("configFiles")}: ${s.files.join(", ") || "—"}`),
    status,
    form,
  );
}

async function accountsScreen(): Promise<void> {
  const here = opened();
  const list = await call("accounts");
  const status = h("div", { class: "status" });
  const username = h("input", { name: "new_username", required: true }) as HTMLInputElement;
  const displayName = h("input", { name: "new_display_name", required: true }) as HTMLInputElement;
  const role = h("select", { name: "new_role" }, ...["reception", "supervisor", "admin"].map((r) => h("option", { value: r }, t(r as Key)))) as HTMLSelectElement;
  const password = h("input", { name: "new_password", type: "password", autocomplete: "new-password", required: true }) as HTMLInputElement;
  const act = <C extends CommandName>(command: C, ...args: ArgList<C>) => async () => {
    try {
      await call(command, ...args);
      await accountsScreen();
    } catch (err) {
      status.replaceChildren(errorBox(err));
    }
  };
  const setPassword = (user: string) => async () => {
    const value = prompt(`${t("setPassword")}: ${user}`);
    if (value) await act("account_password", { username: user, password: value })();
  };
  if (!here()) return;
  layout(
    t("accounts"),
    h("table", { class: "accounts" }, h("tbody", {}, ...list.map((a) => h("tr", { "data-user": a.username }, h("td", {}, a.username), h("td", {}, a.display_name), h("td", {}, t(a.role as Key)), h("td", {}, a.disabled ? t("disabled") : ""), h("td", {}, h("button", { type: "button", onclick: act("account_disable", { username: a.username, disabled: !a.disabled }) }, a.disabled ? t("enable") : t("disable")), h("button", { type: "button", onclick: setPassword(a.username) }, t("setPassword"))))))),
    h("form", { class: "add-account", onsubmit: async (e: Event) => { e.preventDefault(); await act("account_add", { username: username.value, display_name: displayName.value, role: role.value as AddAccount["role"], password: password.value })(); } },
      field("username", username), field("name", displayName), field("role", role), field("password", password), h("button", { type: "submit" }, t("add"))),
    status,
  );
}

// ---------------------------------------------------------------- router

async function route(): Promise<void> {
  window.clearTimeout(refreshTimer);
  currentRender = null;
  document.querySelectorAll("dialog").forEach((d) => d.remove());
  document.documentElement.lang = isEnglish() ? "en" : "vi";
  try {
    session = await call("session");
    if (!session.user) return loginScreen();
    const [path, arg] = location.hash.replace(/^#\//, "").split("?")[0].split("/");
    switch (path) {
      case "new": return await newRecordScreen();
      case "record": return await recordScreen(decodeURIComponent(arg));
      case "certify": return await certifyScreen();
      case "sync": return await syncScreen();
      case "doctor": return await doctorScreen();
      case "settings": return await settingsScreen();
      case "accounts": return await accountsScreen();
      case "verify": return verifyScreen(layout);
      default: return await recordsScreen();
    }
  } catch (err) {
    // Signed out behind the window's back (another window, a restart): sign in again.
    if (err instanceof CallError && err.code === "not_signed_in") return loginScreen();
    layout("HoSo Intake", errorBox(err));
  }
}

window.addEventListener("hashchange", route);
// In the desktop app a task's progress re-renders the screen that follows it at once.
void onTasks(() => {
  const w = window as Window & { hosoTaskEvents?: number };
  w.hosoTaskEvents = (w.hosoTaskEvents ?? 0) + 1; // visible to the end-to-end test
  void showTasks();
  if (currentRender && currentRender.hash === location.hash) void currentRender.render().catch(() => {});
});
document.addEventListener("keydown", (e) => {
  if (!e.altKey || !session?.user) return;
  const items = menu.filter(([, , visible]) => !visible || visible());
  const n = Number(e.key);
  if (n >= 1 && n <= items.length) {
    e.preventDefault();
    location.hash = items[n - 1][1];
  }
});
void route();
