// The list of records (filtered by state) and the form that opens a new one,
// the applicant read from the identity card when there is one.

import { call, upload } from "../api";
import { createRef, html, nothing, notice, ref, showError } from "../dom";
import { recordStates, said, stateLabel, t } from "../i18n";
import type { ApplicantView } from "../bindings/ApplicantView";
import type { ChipView } from "../bindings/ChipView";
import type { IdentitySource } from "../bindings/IdentitySource";
import type { ProcedureView } from "../bindings/ProcedureView";
import { field, headings, imageTypes, layout, opened, recordLink, stateBadge } from "../shell";

export async function recordsScreen(): Promise<void> {
  const here = opened();
  const filter = new URLSearchParams(location.hash.split("?")[1] ?? "").get("state") ?? "";
  const rows = await call("records", { state: filter || null });
  const choose = (e: Event) => {
    location.hash = `#/records?state=${(e.target as HTMLSelectElement).value}`;
  };
  if (!here()) return;
  layout(
    t("ui-records"),
    field(
      "ui-state",
      html`<select name="state" @change=${choose}>
        <option value="">${t("ui-all")}</option>
        ${recordStates.map((s) => html`<option value=${s} ?selected=${s === filter}>${stateLabel(s)}</option>`)}
      </select>`,
    ),
    html`<table class="records">
      ${headings(["ui-code", "ui-applicant", "ui-procedure", "ui-state", "ui-received", "ui-pages"])}
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${recordLink(r.code)}</td>
              <td>${r.applicant}</td>
              <td>${r.procedure}</td>
              <td>${stateBadge(r.state)}</td>
              <td>${r.received_at}</td>
              <td>${r.pages}${r.pages_pending ? ` (${r.pages_pending} ${t("ui-waiting-ocr")})` : ""}</td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

function checklist(p: ProcedureView | undefined) {
  return html`<ul class="checklist">
    ${(p?.components ?? []).map(
      (c) =>
        html`<li>
          <b>${c.code}</b> ${c.name} <small>${c.required ? t("ui-required") : t("ui-optional")}</small>
          ${c.needs_certification ? html`<small class="cert"> · ${t("ui-needs-cert")}</small>` : nothing}
        </li>`,
    )}
  </ul>`;
}

export async function newRecordScreen(): Promise<void> {
  const here = opened();
  let procedures = await call("procedures", { query: "" });
  const status = createRef<HTMLElement>();
  const form = createRef<HTMLFormElement>();
  let chosen = procedures[0]?.code ?? "";
  /** The search as the clerk types: only the newest answer counts. */
  let asked = 0;
  const find = async (query: string) => {
    const mine = ++asked;
    const found = await call("procedures", { query });
    if (mine !== asked) return;
    procedures = found;
    if (!procedures.some((p) => p.code === chosen)) chosen = procedures[0]?.code ?? "";
    draw();
  };
  const input = (name: string) => form.value?.querySelector<HTMLInputElement>(`input[name=${name}]`);
  /** Where the applicant in the form came from (the desktop checks a chip
   * claim against the chip it read). */
  let source: IdentitySource = "typed";
  /** The last chip read, shown beside the form. */
  let chip: ChipView | null = null;
  const fill = (a: ApplicantView) => {
    input("name")!.value = a.name;
    input("personal_id")!.value = a.personal_id ?? "";
    input("address")!.value = a.address ?? "";
    source = a.source;
  };
  /** A picked card image, or the card on the scanner's glass. */
  const readCard = async (file?: File) => {
    try {
      notice(status, "…");
      const a = await call("read_card", file ? { file: await upload(file) } : {});
      fill(a);
      if (a.chip_key) {
        const [document, birth, expiry] = a.chip_key;
        input("chip_document")!.value = document;
        input("chip_birth")!.value = birth;
        input("chip_expiry")!.value = expiry;
      }
      notice(status, `${t("ui-read-card")}: ${a.name}`);
    } catch (err) {
      showError(status, err);
    }
  };
  /** The card's chip on the reader, opened with the MRZ key. */
  const readChip = async () => {
    const value = (name: string) => input(name)?.value.trim() ?? "";
    // On a CCCD the document number is the ID's last 9 digits.
    const document = value("chip_document") || value("personal_id").slice(-9);
    try {
      notice(status, "…");
      chip = await call("read_chip", { document, birth: value("chip_birth"), expiry: value("chip_expiry") });
      if (chip.applicant) fill(chip.applicant);
      notice(status, chip.verified ? t("ui-identity-verified") : t("ui-identity-not-verified"));
      draw();
    } catch (err) {
      chip = null;
      showError(status, err);
      draw();
    }
  };
  /** What the last chip read found, beside the form. */
  const chipPanel = () =>
    chip
      ? html`<div class="chip ${chip.verified ? "verified" : "not-verified"}">
          ${chip.portrait ? html`<img class="portrait" alt=${t("cli-label-portrait")} src=${chip.portrait} />` : nothing}
          <p class="verdict">${chip.verified ? t("ui-identity-verified") : t("ui-identity-not-verified")}</p>
          <p>${t("cli-label-chip-access")}: ${chip.access}</p>
          <p>${t("cli-label-passive-auth")}: ${said(chip.passive_auth)}</p>
          <ul class="problems">
            ${chip.problems.map((p) => html`<li>${said(p)}</li>`)}
          </ul>
          <dl>
            ${chip.details.map(
              ([label, value]) =>
                html`<dt>${said(label)}</dt>
                  <dd>${value}</dd>`,
            )}
          </dl>
        </div>`
      : nothing;
  const cardPicked = (e: Event) => {
    const picker = e.target as HTMLInputElement;
    const file = picker.files?.[0];
    picker.value = "";
    if (file) void readCard(file);
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(form.value);
    const text = (name: string) => String(data.get(name) ?? "");
    try {
      const applicant: ApplicantView = {
        name: text("name"),
        personal_id: text("personal_id") || null,
        phone: text("phone") || null,
        address: text("address") || null,
        source,
        identity: null,
        chip_key: null,
      };
      const r = await call("record_new", { procedure: text("procedure"), applicant });
      location.hash = `#/record/${r.code}`;
    } catch (err) {
      showError(status, err);
    }
  };
  const paint = () =>
    layout(
      t("ui-new-record"),
      html`<form class="new-record" ${ref(form)} @submit=${submit}>
        ${field(
          "ui-procedure",
          html`<input
              name="procedure_search"
              type="search"
              autocomplete="off"
              placeholder=${t("ui-procedure-search")}
              @input=${(e: Event) => void find((e.target as HTMLInputElement).value)}
              @keydown=${(e: KeyboardEvent) => {
                // Enter or the down arrow: on to the list of what was found.
                if (e.key === "Enter" || e.key === "ArrowDown") {
                  e.preventDefault();
                  form.value?.querySelector<HTMLSelectElement>("select[name=procedure]")?.focus();
                }
              }}
            />
            <select
              name="procedure"
              size="8"
              required
              @change=${(e: Event) => {
                chosen = (e.target as HTMLSelectElement).value;
                draw();
              }}
            >
              ${procedures.map(
                (p) =>
                  html`<option value=${p.code} ?selected=${p.code === chosen}>
                    ${p.code} — ${p.name}${p.field ? ` · ${p.field}` : ""}
                  </option>`,
              )}
            </select>
            ${
              procedures.length === 0
                ? html`<small class="none">${t("ui-procedure-none")}</small>`
                : procedures.length >= 30
                  ? html`<small>${t("ui-procedure-more")}</small>`
                  : nothing
            }`,
        )}
        <h2>${t("ui-checklist")}</h2>
        ${checklist(procedures.find((p) => p.code === chosen))}
        <fieldset>
          <legend>${t("ui-applicant")}</legend>
          <div class="row">
            <button type="button" class="read-card" @click=${() => readCard()}>${t("ui-read-card")}</button>
            <button type="button" class="card-file" @click=${() => input("card_file")?.click()}>
              ${t("ui-card-file")}
            </button>
            <input
              name="card_file"
              type="file"
              accept=${imageTypes}
              class="visually-hidden"
              tabindex="-1"
              @change=${cardPicked}
            />
          </div>
          <div class="row chip-key">
            ${field("ui-chip-document", html`<input name="chip_document" inputmode="numeric" maxlength="9" />`)}
            ${field("ui-chip-birth", html`<input name="chip_birth" inputmode="numeric" placeholder="YYMMDD" maxlength="6" />`)}
            ${field("ui-chip-expiry", html`<input name="chip_expiry" inputmode="numeric" placeholder="YYMMDD" maxlength="6" />`)}
            <button type="button" class="read-chip" @click=${() => void readChip()}>${t("ui-read-chip")}</button>
          </div>
          ${chipPanel()} ${field("ui-name", html`<input name="name" required />`)}
          ${field("ui-personal-id", html`<input name="personal_id" inputmode="numeric" pattern="[0-9]{12}" />`)}
          ${field("ui-phone", html`<input name="phone" inputmode="tel" />`)}
          ${field("ui-address", html`<input name="address" />`)}
        </fieldset>
        <button type="submit">${t("ui-create")}</button>
        <div ${ref(status)}></div>
      </form>`,
    );
  /** Paints, then marks the chosen procedure in the list: lit reuses the
   * options, and an option a script has selected before keeps to that. */
  const draw = () => {
    paint();
    const list = form.value?.querySelector<HTMLSelectElement>("select[name=procedure]");
    if (list) list.value = chosen;
  };
  if (!here()) return;
  draw();
  form.value?.querySelector<HTMLInputElement>("input[name=procedure_search]")?.focus();
}
