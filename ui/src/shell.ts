// The frame every screen is drawn in: who is signed in, the header and its
// menu, the task bar, redrawing while tasks run (keeping what the person
// typed), and the sign-in screen.

import { type ArgList, type CommandName, call } from "./api";
import { type Child, errorBox, h } from "./dom";
import { said, t, toggleLanguage, type Label } from "./i18n";
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

export function field(label: Label, input: HTMLElement): HTMLElement {
  return h("label", { class: "field" }, h("span", {}, t(label)), input);
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

export function layout(title: string, ...content: Child[]): void {
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
    user
      ? h("span", { class: "user", "data-role": user.role }, `${user.display_name} (${t(`ui-${user.role}`)})`)
      : null,
    h(
      "button",
      {
        type: "button",
        onclick: () => {
          toggleLanguage();
          reroute();
        },
      },
      t("ui-language"),
    ),
    user ? h("button", { type: "button", onclick: signOut }, t("ui-sign-out")) : null,
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
export function keepFormState(): () => void {
  const old = root.querySelector("main");
  if (!old || old.getAttribute("data-hash") !== location.hash) {
    return () => root.querySelector("main")?.setAttribute("data-hash", location.hash);
  }
  const key = (el: Element) =>
    `${el.closest("[data-component]")?.getAttribute("data-component") ?? ""}/${el.tagName}/${el.getAttribute("name") ?? ""}`;
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
    main.querySelectorAll("details").forEach((d) => {
      if (open.has(key(d))) d.setAttribute("open", "");
    });
    if (focused)
      main.querySelectorAll<HTMLElement>("input, select, textarea").forEach((el) => {
        if (key(el) === focused) el.focus();
      });
  };
}

export async function showTasks(): Promise<TaskView[]> {
  const box = document.getElementById("tasks");
  if (!box || !session?.user) return [];
  const tasks = await call("tasks").catch(() => [] as TaskView[]);
  const recent = tasks.slice(-4).reverse();
  box.replaceChildren(
    h("span", {}, `${t("ui-tasks")}:`),
    ...recent.map((task) =>
      h(
        "span",
        { class: `task ${task.state}`, "data-kind": task.kind },
        `${task.kind}${task.record ? " " + task.record : ""}: ${task.state === "running" ? "…" : ""} ${said(task.message)}`,
      ),
    ),
  );
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
    const busy = tasks.some((task) => task.state === "running");
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
  const username = h("input", {
    name: "username",
    autocomplete: "username",
    required: true,
    autofocus: true,
  }) as HTMLInputElement;
  const password = h("input", {
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  }) as HTMLInputElement;
  const status = h("div");
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await call("login", { username: username.value, password: password.value });
          setSession(await call("session"));
          location.hash = "#/records";
        } catch (err) {
          status.replaceChildren(errorBox(err));
          password.select();
        }
      },
    },
    h("h1", {}, `HoSo Intake — ${t("ui-app-name")}`),
    session?.no_accounts ? h("p", { class: "error" }, t("ui-no-accounts")) : null,
    field("ui-username", username),
    field("ui-password", password),
    h("button", { type: "submit" }, t("ui-sign-in")),
    h(
      "button",
      {
        type: "button",
        class: "link",
        onclick: () => {
          toggleLanguage();
          loginScreen();
        },
      },
      t("ui-language"),
    ),
    status,
  );
  root.replaceChildren(form);
  username.focus();
}

/** Buttons' handlers: each runs a command, then `redraw`s the screen; a
 * refusal shows in `status`. */
export function commandActions(status: HTMLElement, redraw: () => Promise<void>) {
  return <C extends CommandName>(command: C, ...args: ArgList<C>) =>
    async () => {
      try {
        await call(command, ...args);
        await redraw();
      } catch (err) {
        status.replaceChildren(errorBox(err));
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
