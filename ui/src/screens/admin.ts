// The screens around the counter's work: the sync ledger, diagnostics
// (`hoso doctor`), settings (edited by an administrator) and accounts.

import { call } from "../api";
import type { AddAccount } from "../bindings/AddAccount";
import { errorBox, h, notice } from "../dom";
import { said, stateLabel, t } from "../i18n";
import type { SettingView } from "../bindings/SettingView";
import { can, commandActions, field, layout, opened, refreshWhileBusy, setSession, showTasks } from "../shell";

export async function syncScreen(): Promise<void> {
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
    t("ui-ledger"),
    h("button", { type: "button", class: "sync-button", onclick: send }, t("ui-send-now")),
    status,
    h(
      "table",
      { class: "ledger" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...(["ui-code", "ui-state", "ui-attempts", "ui-last-error"] as const).map((k) => h("th", {}, t(k))),
        ),
      ),
      h(
        "tbody",
        {},
        ...rows.map((r) =>
          h(
            "tr",
            { "data-state": r.state },
            h("td", {}, h("a", { href: `#/record/${r.record}` }, r.record)),
            h("td", {}, h("span", { class: `state ${r.state}` }, stateLabel(r.state))),
            h("td", {}, String(r.attempts)),
            h("td", {}, r.last_error ?? ""),
            h(
              "td",
              {},
              r.state === "rejected"
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "retry",
                      onclick: async () => {
                        try {
                          await call("sync_retry", { code: r.record });
                          refreshWhileBusy(syncScreen);
                          await syncScreen();
                        } catch (err) {
                          status.replaceChildren(errorBox(err));
                        }
                      },
                    },
                    t("ui-retry"),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

export async function doctorScreen(): Promise<void> {
  const here = opened();
  layout(t("ui-diagnostics"), h("p", { class: "muted" }, "…"));
  const checks = await call("doctor");
  if (!here()) return;
  const mark: Record<string, string> = { ok: "✓", warn: "!", fail: "✗", skip: "–" };
  layout(
    t("ui-diagnostics"),
    h("button", { type: "button", onclick: doctorScreen }, t("ui-run-again")),
    h(
      "table",
      { class: "doctor" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", {}, ""), h("th", {}, t("ui-check")), h("th", {}, ""), h("th", {}, t("ui-hint"))),
      ),
      h(
        "tbody",
        {},
        ...checks.map((c) =>
          h(
            "tr",
            { class: c.status, "data-check": c.name },
            h("td", {}, mark[c.status] ?? c.status),
            h("td", {}, c.name),
            h("td", {}, said(c.detail)),
            h("td", {}, c.status === "ok" || !c.hint ? "" : said(c.hint)),
          ),
        ),
      ),
    ),
  );
}

export async function settingsScreen(saved?: string): Promise<void> {
  const here = opened();
  const s = await call("settings");
  const admin = can("admin");
  const status = h("div", { class: "status" });
  if (saved) notice(status, saved);
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const row = (x: SettingView) => {
    let control: HTMLInputElement | HTMLSelectElement;
    if (x.kind === "bool") {
      control = h(
        "select",
        { name: x.key },
        h("option", { value: "false" }, "false"),
        h("option", { value: "true" }, "true"),
      ) as HTMLSelectElement;
    } else {
      const placeholder =
        x.kind === "url" ? "https://…" : x.kind === "scanner" ? "sane:… / twain:… / escl:http://…" : "";
      const numeric = x.kind === "number" ? { type: "number", min: "1", step: "1" } : {};
      control = h("input", { name: x.key, spellcheck: false, placeholder, ...numeric }) as HTMLInputElement;
    }
    control.value = x.value;
    control.disabled = !admin || !x.editable;
    if (!control.disabled) inputs.set(x.key, control);
    return h(
      "tr",
      { "data-key": x.key },
      h("th", {}, x.key),
      h("td", {}, control),
      h("td", { class: `source ${x.source}` }, t(`ui-src-${x.source}`)),
    );
  };
  const form = h(
    "form",
    {
      class: "settings",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const before = new Map(s.settings.map((x) => [x.key, x.value]));
        const changes = [...inputs]
          .filter(([k, el]) => el.value.trim() !== before.get(k))
          .map(([k, el]): [string, string] => [k, el.value.trim()]);
        if (!changes.length) return notice(status, t("ui-nothing-changed"));
        try {
          const r = await call("settings_save", { changes });
          setSession(await call("session")); // the header shows the unit and agency
          await settingsScreen(`${t("ui-saved")}: ${r.changed.join(", ") || t("ui-nothing-changed")}`);
        } catch (err) {
          status.replaceChildren(errorBox(err));
        }
      },
    },
    h(
      "table",
      { class: "settings" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", {}, t("ui-setting")), h("th", {}, t("ui-value")), h("th", {}, t("ui-origin"))),
      ),
      h("tbody", {}, ...s.settings.map(row)),
    ),
    admin ? h("button", { type: "submit" }, t("ui-save")) : null,
  );
  if (!here()) return;
  layout(
    t("ui-settings"),
    h("p", { class: "muted" }, admin ? t("ui-settings-note") : t("ui-settings-read-only")),
    h("p", {}, `${t("ui-config-files")}: ${s.files.join(", ") || "—"}`),
    status,
    form,
  );
}

export async function accountsScreen(): Promise<void> {
  const here = opened();
  const list = await call("accounts");
  const status = h("div", { class: "status" });
  const username = h("input", { name: "new_username", required: true }) as HTMLInputElement;
  const displayName = h("input", { name: "new_display_name", required: true }) as HTMLInputElement;
  const role = h(
    "select",
    { name: "new_role" },
    ...(["reception", "supervisor", "admin"] as const).map((r) => h("option", { value: r }, t(`ui-${r}`))),
  ) as HTMLSelectElement;
  const password = h("input", {
    name: "new_password",
    type: "password",
    autocomplete: "new-password",
    required: true,
  }) as HTMLInputElement;
  const act = commandActions(status, accountsScreen);
  const setPassword = (user: string) => async () => {
    const value = prompt(`${t("ui-set-password")}: ${user}`);
    if (value) await act("account_password", { username: user, password: value })();
  };
  if (!here()) return;
  layout(
    t("ui-accounts"),
    h(
      "table",
      { class: "accounts" },
      h(
        "tbody",
        {},
        ...list.map((a) =>
          h(
            "tr",
            { "data-user": a.username },
            h("td", {}, a.username),
            h("td", {}, a.display_name),
            h("td", {}, t(`ui-${a.role}`)),
            h("td", {}, a.disabled ? t("ui-disabled") : ""),
            h(
              "td",
              {},
              h(
                "button",
                { type: "button", onclick: act("account_disable", { username: a.username, disabled: !a.disabled }) },
                a.disabled ? t("ui-enable") : t("ui-disable"),
              ),
              h("button", { type: "button", onclick: setPassword(a.username) }, t("ui-set-password")),
            ),
          ),
        ),
      ),
    ),
    h(
      "form",
      {
        class: "add-account",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          await act("account_add", {
            username: username.value,
            display_name: displayName.value,
            role: role.value as AddAccount["role"],
            password: password.value,
          })();
        },
      },
      field("ui-username", username),
      field("ui-name", displayName),
      field("ui-role", role),
      field("ui-password", password),
      h("button", { type: "submit" }, t("ui-add")),
    ),
    status,
  );
}
