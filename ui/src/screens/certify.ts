// The supervisor's certification queue: records whose copies wait for a
// certified copy, certified in a batch with the token's PIN.

import { call } from "../api";
import { createRef, html, notice, ref, showError } from "../dom";
import { repeat } from "lit-html/directives/repeat.js";
import { t } from "../i18n";
import type { TokenView } from "../bindings/TokenView";
import { field, layout, opened, recordLink, refreshWhileBusy } from "../shell";
import { showPage } from "./pages";

export async function certifyScreen(): Promise<void> {
  const here = opened();
  const status = createRef<HTMLElement>();
  let tokenError: unknown = null;
  const [queue, tokens] = await Promise.all([
    call("certification_queue"),
    call("tokens").catch((err) => {
      tokenError = err;
      return [] as TokenView[];
    }),
  ]);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const codes = data.getAll("record").map(String);
    try {
      const task = await call("certify", {
        codes,
        pin: String(data.get("pin") ?? ""),
        certificate: String(data.get("certificate") ?? "") || null,
        title: String(data.get("title") ?? "") || null,
      });
      form.querySelector<HTMLInputElement>("input[name=pin]")!.value = "";
      notice(status, `${t("ui-certification")}: ${codes.join(", ")} (#${task.id})`);
      refreshWhileBusy(certifyScreen);
    } catch (err) {
      showError(status, err);
    }
  };
  if (!here()) return;
  layout(
    t("ui-certify-queue"),
    html`<form class="certify" @submit=${submit}>
      ${
        queue.length
          ? html`<table class="queue">
              <tbody>
                ${repeat(
                  queue,
                  (r) => r.code,
                  (r) =>
                    html`<tr>
                      <td><input type="checkbox" name="record" value=${r.code} checked /></td>
                      <td>${recordLink(r.code)}</td>
                      <td>${r.applicant}</td>
                      <td>${r.procedure}</td>
                      <td><button type="button" @click=${() => previewRecord(r.code)}>${t("ui-view")}</button></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">${t("ui-nothing-waiting")}</p>`
      }
      ${field(
        "ui-certificate",
        html`<select name="certificate">
          ${tokens.map((c) => html`<option value=${c.fingerprint}>${c.subject} — ${c.token} (${c.not_after})</option>`)}
        </select>`,
      )}
      ${field("ui-title", html`<input name="title" value="" />`)}
      ${field("ui-pin", html`<input name="pin" type="password" autocomplete="off" inputmode="numeric" />`)}
      <button type="submit" ?disabled=${!queue.length}>${t("ui-certify-selected")}</button>
    </form>`,
    html`<div class="status" ${ref(status)}></div>`,
  );
  if (tokenError) showError(status, tokenError);
}

export async function previewRecord(code: string): Promise<void> {
  const r = await call("record", { code });
  const c =
    r.components.find((x) => x.needs_certification && x.pages.length) ?? r.components.find((x) => x.pages.length);
  if (c) await showPage(code, c.pages[0].id, c.ordinal);
}
