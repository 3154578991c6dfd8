// The frame every screen is drawn in: who is signed in, the header and its
// menu, the task bar, redrawing while tasks run, and the sign-in screen. A
// screen draws through `layout`; lit-html keeps the elements a redraw of the
// same screen shares with the last one, so what the person typed stays.

import { type ArgList, type CommandName, call } from "./api";
import { type Ref, type TemplateResult, createRef, html, nothing, ref, render, showError } from "./dom";
import { keyed } from "lit-html/directives/keyed.js";
import { said, stateLabel, t, toggleLanguage, type Label } from "./i18n";
import type { RecordState } from "./bindings/RecordState";
import type { SessionView } from "./bindings/SessionView";
import type { TaskView } from "./bindings/TaskView";

export const root = document.getElementById("app")!;
/** What the file pickers offer: the formats `import` takes. */
export const imageTypes = "image/png,image/jpeg,image/tiff,.png,.jpg,.jpeg,.tif,.tiff";
export let session: SessionView | null = null;
export let refreshTimer: number | undefined;

export function setSession(s: SessionView | null): void {
  session = s;
}

/** What the router does: drawing the screen the hash names (set by main.ts). */
export let reroute: () => void = () => {};
export function onReroute(f: () => void): void {
  reroute = f;
}

/** No screen redraws by itself any more (the router opens another). */
export function stopRefresh(): void {
  window.clearTimeout(refreshTimer);
  currentRender = null;
}

/** Draws the current screen again, if it still shows (a task moved on). */
export function rerenderCurrent(): void {
  if (currentRender && currentRender.hash === location.hash) void currentRender.render().catch(() => {});
}

export function field(label: Label, input: TemplateResult): TemplateResult {
  return html`<label class="field"><span>${t(label)}</span>${input}</label>`;
}

/** A table's heading row, one labelled column each. */
export function headings(labels: readonly Label[]): TemplateResult {
  return html`<thead>
    <tr>
      ${labels.map((k) => html`<th>${t(k)}</th>`)}
    </tr>
  </thead>`;
}

/** A record's code as a link to its screen. */
export function recordLink(code: string): TemplateResult {
  return html`<a href=${`#/record/${code}`}>${code}</a>`;
}

/** A record state's name, coloured by state. */
export function stateBadge(state: RecordState, id?: string): TemplateResult {
  return html`<span class=${`state ${state}`} id=${id ?? nothing}>${stateLabel(state)}</span>`;
}

export function can(role: "supervisor" | "admin"): boolean {
  const r = session?.user?.role;
  return role === "admin" ? r === "admin" : r === "supervisor" || r === "admin";
}

// ---------------------------------------------------------------- layout

export const menu: [Label, string, (() => boolean)?][] = [
  ["ui-records", "#/records"],
  ["ui-new-record", "#/new"],
  ["ui-certification", "#/certify", () => can("supervisor")],
  ["ui-sync", "#/sync"],
  ["ui-diagnostics", "#/doctor"],
  ["ui-settings", "#/settings"],
  ["ui-accounts", "#/accounts", () => can("admin")],
  ["ui-verify", "#/verify"],
];

/** Draws a screen in the frame. The screen's elements are kept by the hash
 * (#/record/A and #/record/B are two screens, each with its own inputs). */
export function layout(title: string, ...content: unknown[]): void {
  const w = window as Window & { hosoRedraws?: number };
  w.hosoRedraws = (w.hosoRedraws ?? 0) + 1; // visible to the browser test
  const user = session?.user;
  const items = menu.filter(([, , visible]) => !visible || visible());
  const language = () => {
    toggleLanguage();
    reroute();
  };
  render(
    html`<header>
        <strong>HoSo Intake</strong>
        <span class="unit">${[session?.agency, session?.unit].filter(Boolean).join(" · ")}</span>
        <span class="spacer"></span>
        ${
          user
            ? html`<span class="user" data-role=${user.role}>${user.display_name} (${t(`ui-${user.role}`)})</span>`
            : nothing
        }
        <button type="button" @click=${language}>${t("ui-language")}</button>
        ${user ? html`<button type="button" @click=${signOut}>${t("ui-sign-out")}</button>` : nothing}
      </header>
      <div class="body">
        <nav aria-label="menu">
          ${items.map(
            ([key, href], i) =>
              html`<a href=${href} class=${location.hash.startsWith(href) ? "active" : ""} title=${`Alt+${i + 1}`}
                >${i + 1}. ${t(key)}</a
              >`,
          )}
        </nav>
        ${keyed(
          location.hash,
          html`<main>
            <h1>${title}</h1>
            ${content}
          </main>`,
        )}
      </div>
      <footer id="tasks" aria-live="polite"></footer>`,
    root,
  );
  void showTasks();
}

/** The scan waiting for the next stack, if any (Esc finishes it). */
let waitingScan: number | null = null;
/** Waits whose "scan next" button already took the focus once. */
const focusedWaits = new Set<number>();

/** The clerk's word to a scan waiting for paper: the next stack, or finish. */
export async function answerWait(task: number, finish: boolean): Promise<void> {
  await call("scan_stack", { task, finish }).catch(() => {});
  await showTasks();
}

/** Esc: the waiting scan finishes. */
export function finishWaitingScan(): boolean {
  if (waitingScan === null) return false;
  void answerWait(waitingScan, true);
  return true;
}

export async function showTasks(): Promise<TaskView[]> {
  const box = document.getElementById("tasks");
  if (!box || !session?.user) return [];
  const tasks = await call("tasks").catch(() => [] as TaskView[]);
  const recent = tasks.slice(-4).reverse();
  const waiting = tasks.find((task) => task.state === "waiting");
  waitingScan = waiting?.id ?? null;
  render(
    html`<span>${t("ui-tasks")}:</span> ${recent.map(
        (task) =>
          html`<span class=${`task ${task.state}`} data-kind=${task.kind}
            >${task.kind}${task.record ? " " + task.record : ""}: ${task.state === "running" ? "…" : ""}
            ${said(task.message)}
            ${
              task.state === "waiting"
                ? html`<button type="button" class="scan-next" @click=${() => answerWait(task.id, false)}>
                      ${t("ui-scan-next")}
                    </button>
                    <button type="button" class="scan-finish" title="Esc" @click=${() => answerWait(task.id, true)}>
                      ${t("ui-scan-finish")}
                    </button>`
                : nothing
            }</span
          >`,
      )}`,
    box,
  );
  // The first time a scan waits, Enter scans the next stack.
  if (waiting && !focusedWaits.has(waiting.id)) {
    focusedWaits.add(waiting.id);
    box.querySelector<HTMLButtonElement>("button.scan-next")?.focus();
  }
  if (!waiting) focusedWaits.clear();
  return tasks;
}

/** While tasks run, re-render the screen every second (pages appear as scanned and read). */
export let currentRender: { hash: string; render: () => Promise<void> } | null = null;

export function refreshWhileBusy(render: () => Promise<void>, wasBusy = true): void {
  const hash = location.hash;
  currentRender = { hash, render };
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(async () => {
    // The person went to another screen meanwhile: this one no longer draws.
    if (location.hash !== hash) return;
    const tasks = await showTasks();
    const busy = tasks.some((task) => task.state === "running" || task.state === "waiting");
    // Once more after the last task ends, so its result shows.
    if (busy || wasBusy) await render().catch(() => {});
    refreshWhileBusy(render, busy);
  }, 1000);
}

export async function signOut(): Promise<void> {
  await call("logout");
  setSession(await call("session"));
  location.hash = "#/login";
}

// ---------------------------------------------------------------- screens

export function loginScreen(): void {
  const status = createRef<HTMLElement>();
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    try {
      await call("login", { username: String(data.get("username")), password: String(data.get("password")) });
      setSession(await call("session"));
      location.hash = "#/records";
    } catch (err) {
      showError(status, err);
      form.querySelector<HTMLInputElement>("input[name=password]")?.select();
    }
  };
  const language = () => {
    toggleLanguage();
    loginScreen();
  };
  render(
    html`<form class="login" @submit=${submit}>
      <h1>HoSo Intake — ${t("ui-app-name")}</h1>
      ${session?.no_accounts ? html`<p class="error">${t("ui-no-accounts")}</p>` : nothing}
      ${field("ui-username", html`<input name="username" autocomplete="username" required autofocus />`)}
      ${field("ui-password", html`<input name="password" type="password" autocomplete="current-password" required />`)}
      <button type="submit">${t("ui-sign-in")}</button>
      <button type="button" class="link" @click=${language}>${t("ui-language")}</button>
      <div ${ref(status)}></div>
    </form>`,
    root,
  );
  const username = root.querySelector<HTMLInputElement>("input[name=username]");
  if (username && document.activeElement?.tagName !== "INPUT") username.focus();
}

/** Buttons' handlers: each runs a command, then `redraw`s the screen; a
 * refusal shows in `status`. */
export function commandActions(status: Ref<HTMLElement>, redraw: () => Promise<void>) {
  return <C extends CommandName>(command: C, ...args: ArgList<C>) =>
    async () => {
      try {
        await call(command, ...args);
        await redraw();
      } catch (err) {
        showError(status, err);
      }
    };
}

/** Remembers the screen (hash) a screen function was opened for. A screen that
 * waited on Rust (devices, the doctor, a slow query) draws only if the person
 * is still there; otherwise it would cover the screen they went to. */
export function opened(): () => boolean {
  const hash = location.hash;
  return () => location.hash === hash;
}
