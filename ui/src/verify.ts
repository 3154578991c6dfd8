// The verification screen: a signed PDF picked from disk (a certified copy
// from this counter or from another agency) judged in Rust as `hoso verify`
// judges it — who signed, when and whether that time is proven, the trust
// path, revocation, the PAdES level, changes after signing.

import { call, upload } from "./api";
import { type TemplateResult, createRef, errorBox, html, nothing, ref, render } from "./dom";
import { said, t } from "./i18n";
import type { Said } from "./bindings/Said";
import type { SignatureView } from "./bindings/SignatureView";

function row(label: string, value: unknown): TemplateResult {
  return html`<tr>
    <th scope="row">${label}</th>
    <td>${value}</td>
  </tr>`;
}

function signatureCard(s: SignatureView): TemplateResult {
  const lines = (items: Said[]) =>
    html`<ul>
      ${items.map((i) => html`<li>${said(i)}</li>`)}
    </ul>`;
  return html`<section class=${`signature ${s.verdict}`} data-verdict=${s.verdict} data-level=${s.level}>
    <h2>${t("ui-signature")} ${s.index}: <span class="verdict">${said(s.verdict_text)}</span></h2>
    <table>
      <tbody>
        ${row(t("ui-signer"), s.signer)} ${row(t("ui-issuer"), s.issuer)} ${row(t("ui-signing-time"), s.time)}
        ${row(t("ui-time-stamp"), said(s.time_text))} ${row(t("ui-pades-level"), said(s.level_text))}
        ${row(
          t("ui-trust-path"),
          s.trust_path.length ? s.trust_path.join(" → ") : said(s.trust_problem ?? { vi: "—", en: "—" }),
        )}
        ${s.revocation.length ? row(t("ui-revocation"), lines(s.revocation)) : nothing}
        ${s.changes.length ? row(t("ui-changed-after-signing"), lines(s.changes)) : nothing}
      </tbody>
    </table>
  </section>`;
}

export function verifyScreen(layout: (title: string, ...content: unknown[]) => void): void {
  const results = createRef<HTMLElement>();
  const show = (content: unknown) => results.value && render(content, results.value);
  const picked = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    show(html`<p class="muted">${file.name} …</p>`);
    try {
      const signatures = await call("verify", { file: await upload(file) });
      show(
        html`<p class="file">${file.name}</p>
          ${
            signatures.length
              ? signatures.map(signatureCard)
              : html`<div class="error" role="alert">${t("ui-no-signature")}</div>`
          }`,
      );
    } catch (err) {
      show(errorBox(err));
    }
  };
  layout(
    t("ui-verify"),
    html`<p>${t("ui-verify-hint")}</p>`,
    html`<label class="field"
      ><span>${t("ui-signed-file")}</span
      ><input type="file" name="signed" accept="application/pdf,.pdf" @change=${picked}
    /></label>`,
    html`<div class="verify-results" aria-live="polite" ${ref(results)}></div>`,
  );
}
