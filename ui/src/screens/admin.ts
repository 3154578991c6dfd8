// The screens around the counter's work: the sync ledger, diagnostics
// (`hoso doctor`), settings (edited by an administrator) and accounts.

import { call } from "../api";
import type { AddAccount } from "../bindings/AddAccount";
import { createRef, html, nothing, notice, ref, showError } from "../dom";
import { said, t } from "../i18n";
import type { SettingView } from "../bindings/SettingView";
import {
  can,
  commandActions,
  field,
  headings,
  layout,
  opened,
  recordLink,
  refreshWhileBusy,
  setSession,
  showTasks,
  stateBadge,
} from "../shell";

export async function syncScreen(): Promise<void> {
  const here = opened();
  const rows = await call("ledger");
  if (!here()) return;
  const status = createRef<HTMLElement>();
  const send = async () => {
    try {
      await call("sync");
      refreshWhileBusy(syncScreen);
      await showTasks();
    } catch (err) {
      showError(status, err);
    }
  };
  const retry = (code: string) => async () => {
    try {
      await call("sync_retry", { code });
      refreshWhileBusy(syncScreen);
      await syncScreen();
    } catch (err) {
      showError(status, err);
    }
  };
  layout(
    t("ui-ledger"),
    html`<button type="button" class="sync-button" @click=${send}>${t("ui-send-now")}</button>`,
    html`<div class="status" ${ref(status)}></div>`,
    html`<table class="ledger">
      ${headings(["ui-code", "ui-state", "ui-attempts", "ui-last-error"])}
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr data-state=${r.state}>
              <td>${recordLink(r.record)}</td>
              <td>${stateBadge(r.state)}</td>
              <td>${r.attempts}</td>
              <td>${r.last_error ?? ""}</td>
              <td>
                ${
                  r.state === "rejected"
                    ? html`<button type="button" class="retry" @click=${retry(r.record)}>${t("ui-retry")}</button>`
                    : nothing
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

export async function doctorScreen(): Promise<void> {
  const here = opened();
  layout(t("ui-diagnostics"), html`<p class="muted">…</p>`);
  const checks = await call("doctor");
  if (!here()) return;
  const mark: Record<string, string> = { ok: "✓", warn: "!", fail: "✗", skip: "–" };
  layout(
    t("ui-diagnostics"),
    html`<button type="button" @click=${doctorScreen}>${t("ui-run-again")}</button>`,
    html`<table class="doctor">
      <thead>
        <tr>
          <th></th>
          <th>${t("ui-check")}</th>
          <th></th>
          <th>${t("ui-hint")}</th>
        </tr>
      </thead>
      <tbody>
        ${checks.map(
          (c) =>
            html`<tr class=${c.status} data-check=${c.name}>
              <td>${mark[c.status] ?? c.status}</td>
              <td>${c.name}</td>
              <td>${said(c.detail)}</td>
              <td>${c.status === "ok" || !c.hint ? "" : said(c.hint)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

/** The control for one key: true/false, or text (a number, an address, a scanner). */
function control(x: SettingView, enabled: boolean) {
  if (x.kind === "bool") {
    return html`<select name=${x.key} .value=${x.value} ?disabled=${!enabled}>
      <option value="false">false</option>
      <option value="true">true</option>
    </select>`;
  }
  const placeholder = x.kind === "url" ? "https://…" : x.kind === "scanner" ? "sane:… / twain:… / escl:http://…" : "";
  const number = x.kind === "number";
  return html`<input
    name=${x.key}
    spellcheck="false"
    placeholder=${placeholder}
    type=${number ? "number" : "text"}
    min=${number ? "1" : nothing}
    step=${number ? "1" : nothing}
    .value=${x.value}
    ?disabled=${!enabled}
  />`;
}

export async function settingsScreen(saved?: string): Promise<void> {
  const here = opened();
  const s = await call("settings");
  const admin = can("admin");
  const status = createRef<HTMLElement>();
  const editable = s.settings.filter((x) => admin && x.editable);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const changes = editable
      .map((x): [string, string, string] => {
        const el = form.elements.namedItem(x.key) as HTMLInputElement | HTMLSelectElement;
        return [x.key, el.value.trim(), x.value];
      })
      .filter(([, now, before]) => now !== before)
      .map(([key, now]): [string, string] => [key, now]);
    if (!changes.length) return notice(status, t("ui-nothing-changed"));
    try {
      const r = await call("settings_save", { changes });
      setSession(await call("session")); // the header shows the unit and agency
      await settingsScreen(`${t("ui-saved")}: ${r.changed.join(", ") || t("ui-nothing-changed")}`);
    } catch (err) {
      showError(status, err);
    }
  };
  if (!here()) return;
  layout(
    t("ui-settings"),
    html`<p class="muted">${admin ? t("ui-settings-note") : t("ui-settings-read-only")}</p>`,
    html`<p>${t("ui-config-files")}: ${s.files.join(", ") || "—"}</p>`,
    html`<div class="status" ${ref(status)}></div>`,
    html`<form class="settings" @submit=${submit}>
      <table class="settings">
        <thead>
          <tr>
            <th>${t("ui-setting")}</th>
            <th>${t("ui-value")}</th>
            <th>${t("ui-origin")}</th>
          </tr>
        </thead>
        <tbody>
          ${s.settings.map(
            (x) =>
              html`<tr data-key=${x.key}>
                <th>${x.key}</th>
                <td>${control(x, admin && x.editable)}</td>
                <td class=${`source ${x.source}`}>${t(`ui-src-${x.source}`)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${admin ? html`<button type="submit">${t("ui-save")}</button>` : nothing}
    </form>`,
  );
  if (saved) notice(status, saved);
}

export async function accountsScreen(): Promise<void> {
  const here = opened();
  const list = await call("accounts");
  const status = createRef<HTMLElement>();
  const act = commandActions(status, accountsScreen);
  const setPassword = (user: string) => async () => {
    const value = prompt(`${t("ui-set-password")}: ${user}`);
    if (value) await act("account_password", { username: user, password: value })();
  };
  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "");
    try {
      await call("account_add", {
        username: text("new_username"),
        display_name: text("new_display_name"),
        role: text("new_role") as AddAccount["role"],
        password: text("new_password"),
      });
      form.reset(); // the next account starts from an empty form
      await accountsScreen();
    } catch (err) {
      showError(status, err);
    }
  };
  if (!here()) return;
  layout(
    t("ui-accounts"),
    html`<table class="accounts">
      <tbody>
        ${list.map(
          (a) =>
            html`<tr data-user=${a.username}>
              <td>${a.username}</td>
              <td>${a.display_name}</td>
              <td>${t(`ui-${a.role}`)}</td>
              <td>${a.disabled ? t("ui-disabled") : ""}</td>
              <td>
                <button type="button" @click=${act("account_disable", { username: a.username, disabled: !a.disabled })}>
                  ${a.disabled ? t("ui-enable") : t("ui-disable")}
                </button>
                <button type="button" @click=${setPassword(a.username)}>${t("ui-set-password")}</button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`,
    html`<form class="add-account" @submit=${add}>
      ${field("ui-username", html`<input name="new_username" required />`)}
      ${field("ui-name", html`<input name="new_display_name" required />`)}
      ${field(
        "ui-role",
        html`<select name="new_role">
          ${(["reception", "supervisor", "admin"] as const).map((r) => html`<option value=${r}>${t(`ui-${r}`)}</option>`)}
        </select>`,
      )}
      ${field("ui-password", html`<input name="new_password" type="password" autocomplete="new-password" required />`)}
      <button type="submit">${t("ui-add")}</button>
    </form>`,
    html`<div class="status" ${ref(status)}></div>`,
  );
}
