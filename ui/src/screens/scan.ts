// A component's scan form. Once the administrator set scan profiles, a clerk
// scans with one of them: picked in the form or with one key (1-9) anywhere
// on the record screen, the last one remembered on this PC. An administrator
// may still choose settings of their own; without profiles everyone does.

import type { Scan } from "../bindings/Scan";
import type { DeviceView } from "../bindings/DeviceView";
import type { ScanProfile } from "../bindings/ScanProfile";
import { html, nothing } from "../dom";
import { t } from "../i18n";
import { can, field } from "../shell";

const REMEMBERED = "hoso.scan-profile";

/** The profile this PC used last, if the counter still has it; else the first. */
function remembered(profiles: ScanProfile[]): string {
  const name = localStorage.getItem(REMEMBERED);
  return profiles.find((p) => p.name === name)?.name ?? profiles[0]?.name ?? "";
}

/** Picks profile `name` (or one's own settings: "") in every form on the screen. */
function choose(name: string): void {
  localStorage.setItem(REMEMBERED, name);
  for (const select of document.querySelectorAll<HTMLSelectElement>("select[name=profile]")) {
    select.value = name;
    showOwn(select);
  }
}

/** One's own settings show only while no profile is picked. */
function showOwn(select: HTMLSelectElement): void {
  const own = select.closest("form, section")?.querySelector<HTMLElement>(".own");
  if (own) own.hidden = select.value !== "";
}

// Keys 1-9 pick a profile while the focus is not in a text field.
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.altKey || e.metaKey || !/^[1-9]$/.test(e.key)) return;
  if ((e.target as HTMLElement | null)?.closest?.("input, textarea, select")) return;
  const select = document.querySelector<HTMLSelectElement>("select[name=profile]");
  const option = select?.querySelectorAll("option")[Number(e.key) - 1];
  if (!option || option.value === "") return;
  e.preventDefault();
  choose(option.value);
});

const select = (name: string, options: [string | number, string][]) =>
  html`<select name=${name}>
    ${options.map(([value, label]) => html`<option value=${value}>${label}</option>`)}
  </select>`;

/** The form's fields: the profiles, then (where allowed) one's own settings. */
export function scanFields(profiles: ScanProfile[], devices: DeviceView[]) {
  const chosen = remembered(profiles);
  const own = !profiles.length || can("admin");
  const profileField = profiles.length
    ? field(
        "ui-scan-profile",
        html`<select
          name="profile"
          @change=${(e: Event) => choose((e.target as HTMLSelectElement).value)}
          title=${t("ui-scan-profile-keys")}
        >
          ${profiles.map(
            (p, i) => html`<option value=${p.name} ?selected=${p.name === chosen}>${i + 1} · ${p.name}</option>`,
          )}
          ${own ? html`<option value="">${t("ui-scan-profile-own")}</option>` : nothing}
        </select>`,
      )
    : nothing;
  return html`${profileField}
    ${field(
      "ui-scanner",
      select(
        "device",
        devices.map((d) => [d.id, d.label]),
      ),
    )}
    ${
      own
        ? html`<span class="own" ?hidden=${profiles.length > 0}>
            ${field(
              "ui-source",
              select("source", [
                ["feeder", t("ui-feeder")],
                ["flatbed", t("ui-flatbed")],
                ["feeder_duplex", t("ui-duplex")],
                ["manual_duplex", t("ui-manual-duplex")],
              ]),
            )}
            ${field(
              "ui-resolution",
              select(
                "resolution",
                [300, 200, 400, 600].map((d) => [d, `${d} dpi`]),
              ),
            )}
            ${field(
              "ui-mode",
              select("mode", [
                ["colour", t("ui-colour")],
                ["gray", t("ui-gray")],
                ["black_white", t("ui-bw")],
              ]),
            )}
          </span>`
        : nothing
    } <label class="check"><input type="checkbox" name="wait" /> ${t("ui-wait-stacks")}</label>`;
}

/** What the form in `section` asks for: a profile, or one's own settings. */
export function scanArgs(section: HTMLElement | undefined): Omit<Scan, "code" | "component"> {
  const value = (name: string) => section?.querySelector<HTMLSelectElement>(`select[name=${name}]`)?.value ?? "";
  const wait = section?.querySelector<HTMLInputElement>("input[name=wait]")?.checked ?? false;
  const profile = value("profile");
  if (profile) return { device: value("device"), profile, wait };
  const source = value("source");
  return {
    device: value("device"),
    source: (source === "manual_duplex" ? "feeder" : source) as Scan["source"],
    manual_duplex: source === "manual_duplex",
    resolution: Number(value("resolution")),
    mode: value("mode") as Scan["mode"],
    wait,
  };
}
