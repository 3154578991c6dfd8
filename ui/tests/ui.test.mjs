// The whole counter flow in Debian's Chromium (playwright-core, no downloaded
// browser) against the real command layer served by examples/ui_bridge.rs.
// Started by src-tauri/tests/ui.rs, which sets HOSO_UI_URL, HOSO_SAMPLES,
// HOSO_SCREENSHOTS, HOSO_CERTIFIER and HOSO_CARD (a card image with the
// CCCD's QR code). Exits non-zero on the first failure.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const url = process.env.HOSO_UI_URL;
const samples = process.env.HOSO_SAMPLES;
const shots = process.env.HOSO_SCREENSHOTS;
const certifier = process.env.HOSO_CERTIFIER;
const card = process.env.HOSO_CARD;
assert.ok(
  url && samples && shots && certifier && card,
  "HOSO_UI_URL, HOSO_SAMPLES, HOSO_SCREENSHOTS, HOSO_CERTIFIER, HOSO_CARD",
);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
page.setDefaultTimeout(20_000);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(e.message));
page.on("dialog", (d) => d.accept());

const step = (name) => console.log(`ui: ${name}`);
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });

async function signIn(user, password) {
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", password);
  await page.click("form.login button[type=submit]");
}

async function noHorizontalScroll() {
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 1366, `the screen fits 1366 px (scrollWidth ${width})`);
}

try {
  step("sign-in screen, Vietnamese by default; a wrong password is refused");
  await page.goto(url);
  await page.waitForSelector("form.login");
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  await signIn("lan", "sai-mat-khau");
  await page.waitForSelector("form.login .error");
  assert.match(await page.textContent("form.login .error"), /sai tên đăng nhập hoặc mật khẩu/);
  await shot("01-sign-in");
  await signIn("lan", "quay-mot-123");
  await page.waitForSelector("nav");
  assert.match(await page.textContent("header .user"), /Nguyễn Thị Lan/);
  assert.equal(await page.locator("nav a[href='#/certify']").count(), 0, "reception has no certification screen");

  step("new record from the keyboard: Alt+2, procedure checklist, applicant");
  await page.keyboard.press("Alt+2");
  await page.waitForSelector("form.new-record");
  // The procedure is found as the clerk types, diacritics or not; Enter goes on to the list.
  assert.equal(await page.evaluate(() => document.activeElement.name), "procedure_search");
  await page.keyboard.type("chung thuc ban sao");
  await page.waitForFunction(() => {
    const list = document.querySelector("select[name=procedure]");
    return list.options.length === 1 && list.value === "2.000815";
  });
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.name), "procedure");
  assert.match(await page.textContent("ul.checklist"), /BC.*cần chứng thực/s);
  await shot("01b-new-record-procedure-search");
  // The card on the scanner's glass: the SANE test page holds no card, and says so.
  await page.click("button.read-card");
  await page.waitForSelector("form.new-record .error");
  assert.match(await page.textContent("form.new-record .error"), /không đọc được mã QR hay vùng MRZ/);
  // A card image picked from disk fills the applicant from its QR code.
  await page.setInputFiles("input[name=card_file]", card);
  await page.waitForFunction(() => document.querySelector("input[name=name]").value !== "");
  assert.equal(await page.inputValue("input[name=name]"), "Ngô Thị Ngọc");
  assert.equal(await page.inputValue("input[name=personal_id]"), "079187247726");
  assert.match(await page.inputValue("input[name=address]"), /Hai Bà Trưng/);
  // The citizen's card on the reader: the chip, opened with the MRZ key
  // (the document number is the ID's last 9 digits), fills the applicant,
  // verified up to the CSCA the counter trusts.
  await page.fill("input[name=personal_id]", "079070752696");
  await page.fill("input[name=chip_birth]", "700704");
  await page.fill("input[name=chip_expiry]", "300704");
  await page.click("button.read-chip");
  await page.waitForSelector("div.chip.verified");
  assert.equal(await page.inputValue("input[name=name]"), "Lê Minh Nam");
  assert.match(await page.inputValue("input[name=address]"), /Lý Tự Trọng/);
  assert.match(await page.textContent("div.chip"), /ĐÃ XÁC THỰC bằng chip.*Lê Văn An/s);
  // The chip's portrait beside the form, a JPEG the browser draws.
  assert.ok(await page.locator("div.chip img.portrait").evaluate((img) => img.complete && img.naturalWidth === 120));
  await shot("01c-new-record-chip-verified");
  await page.fill("input[name=phone]", "0903123456");
  await page.click("form.new-record button[type=submit]");
  await page.waitForSelector("section.component[data-component='1']");
  const code = (await page.textContent("main h1")).replace(/^.* /, "");
  assert.match(code, /^000\.00\.01\.H29-\d{6}-\d{4}$/);
  // The record says how the applicant's identity was established.
  assert.match(await page.textContent("dd.identity.verified"), /chip của thẻ.*ĐÃ XÁC THỰC bằng chip/s);
  await noHorizontalScroll();

  step("scan one page from the SANE test backend, import two sample scans");
  const section = page.locator("section.component[data-component='1']");
  await section.locator("details.scan summary").click();
  await section.locator("select[name=device]").selectOption("sane:test:0");
  await section.locator("select[name=source]").selectOption("flatbed");
  await section.locator("select[name=mode]").selectOption("gray");
  await section.locator("button.scan-button").click();
  // The screen redraws every second while the page is scanned and read: the
  // elements stay the same ones (lit-html), so the choice and the focus stay.
  await section.locator("select[name=mode]").evaluate((el) => {
    el.hosoMark = "before the redraws";
    el.focus();
  });
  const redraws = await page.evaluate(() => window.hosoRedraws ?? 0);
  await section.locator("figure.page").first().waitFor({ timeout: 60_000 });
  assert.equal(await section.locator("details.scan[open]").count(), 1, "refreshes keep the scan panel open");
  // The page's card came with a redraw after the mark (none happens within a second of the click).
  assert.ok((await page.evaluate(() => window.hosoRedraws ?? 0)) > redraws, "the screen was drawn again");
  assert.deepEqual(
    await section.locator("select[name=mode]").evaluate((el) => [el.hosoMark, el.value, document.activeElement === el]),
    ["before the redraws", "gray", true],
    "a redraw keeps the element, its value and the focus",
  );
  // Picked files: two scans and a file that is no image, which is named and skipped.
  const chooser = page.waitForEvent("filechooser");
  await section.locator("button.import-button").click();
  await (
    await chooser
  ).setFiles([path.join(samples, "dev_p01.png"), path.join(samples, "dev_p05.png"), path.join(samples, "README.md")]);
  await page.waitForSelector("main [role=status].error");
  const imported = await page.textContent("main [role=status].error");
  assert.match(imported, /Đã nhập 2 trang/, imported);
  assert.match(imported, /README\.md: không phải ảnh PNG, JPEG hoặc TIFF/, imported);
  await page.waitForFunction(
    () => {
      const figs = document.querySelectorAll("section.component[data-component='1'] figure.page");
      return figs.length === 3 && [...figs].every((f) => !f.classList.contains("stored") && f.querySelector("img"));
    },
    null,
    { timeout: 180_000 },
  );
  await shot("02-pages-read");
  // A file dragged from the file manager and dropped on the component goes the
  // same way; dropped again, the record already holds its page and says so.
  const dropped = await page.evaluateHandle(
    ({ name, data }) => {
      const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: "image/png" }));
      return dt;
    },
    { name: "dev_p05.png", data: fs.readFileSync(path.join(samples, "dev_p05.png")).toString("base64") },
  );
  await section.dispatchEvent("dragover", { dataTransfer: dropped });
  assert.equal(
    await page.locator("section.component[data-component='1'].drop").count(),
    1,
    "the component shows where files will go",
  );
  await section.dispatchEvent("drop", { dataTransfer: dropped });
  await page.waitForFunction(() =>
    /Đã nhập 0 trang — 1 trang đã có trong hồ sơ/.test(
      document.querySelector("main [role=status].ok")?.textContent ?? "",
    ),
  );
  assert.equal(await section.locator("figure.page").count(), 3, "nothing is added twice");

  step("the scanned test page is flagged; remove it, move a page");
  const flagged = section.locator("figure.page[data-issues*='too_dark'], figure.page[data-issues*='blank']");
  assert.equal(await flagged.count(), 1, "the solid test page is flagged");
  // Rescan it on the glass: a new page takes its place (the test scanner gives the same sheet).
  const flaggedId = await flagged.getAttribute("data-page");
  const flaggedAt = (await section.locator("figure.page").evaluateAll((f) => f.map((x) => x.dataset.page))).indexOf(
    flaggedId,
  );
  await flagged.locator("button.rescan").click();
  await page.waitForFunction(
    ([old, at]) => {
      const figs = [...document.querySelectorAll("section.component[data-component='1'] figure.page")];
      return figs.length === 3 && figs[at].dataset.page !== old && figs[at].classList.contains("processed");
    },
    [flaggedId, flaggedAt],
    { timeout: 60_000 },
  );
  await flagged.locator("button.danger").click();
  await page.waitForFunction(
    () => document.querySelectorAll("section.component[data-component='1'] figure.page").length === 2,
  );
  const before = await section.locator("figure.page").evaluateAll((f) => f.map((x) => x.dataset.page));
  await section.locator("figure.page").first().locator("button[title]").nth(1).click();
  await page.waitForFunction(
    (first) => document.querySelector("section.component[data-component='1'] figure.page")?.dataset.page !== first,
    before[0],
  );
  const after = await section.locator("figure.page").evaluateAll((f) => f.map((x) => x.dataset.page));
  assert.deepEqual(after, [before[1], before[0]], "pages swapped");

  step("turn a page by hand: it is read again, then turned back");
  await section.locator("figure.page").first().locator("button.turn").click();
  await page.waitForFunction(() =>
    document.querySelector("section.component[data-component='1'] figure.page")?.classList.contains("stored"),
  );
  await page.waitForFunction(
    () => document.querySelector("section.component[data-component='1'] figure.page")?.classList.contains("processed"),
    null,
    { timeout: 60_000 },
  );
  await page.evaluate(async (id) => {
    await fetch("/api/call", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command: "page_turn", args: { page: Number(id), degrees: 270 } }),
    });
  }, after[0]);
  await page.waitForFunction(() =>
    document.querySelector("section.component[data-component='1'] figure.page")?.classList.contains("stored"),
  );
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("section.component[data-component='1'] figure.page")].every((f) =>
        f.classList.contains("processed"),
      ) && document.querySelector("#record-state")?.textContent === "Chờ kiểm tra",
    null,
    { timeout: 60_000 },
  );

  step("a blank page stays in the record but out of the PDF/A; put back, then left out by hand");
  const blankChooser = page.waitForEvent("filechooser");
  await section.locator("button.import-button").click();
  await (await blankChooser).setFiles([path.join(samples, "dev_p09.png")]);
  const blank = section.locator("figure.page[data-left-out='blank']");
  await blank.waitFor({ timeout: 60_000 });
  assert.match(await blank.locator(".badge.left-out").textContent(), /Trang trắng · không đưa vào PDF\/A/);
  const blankId = await blank.getAttribute("data-page");
  const blankCard = section.locator(`figure.page[data-page='${blankId}']`);
  await blankCard.locator("button.leave-out").click();
  await page.waitForSelector(`figure.page[data-page='${blankId}'][data-left-out='']`);
  await blankCard.locator("button.leave-out").click();
  await page.waitForSelector(`figure.page[data-page='${blankId}'][data-left-out='clerk']`);
  await shot("02b-left-out-of-the-pdfa");
  // Separator sheets to print: one per component of the checklist, each with its QR code.
  await page.click("button.separators-button");
  await page.waitForSelector("dialog.separators .separator-sheet .qr svg");
  assert.equal(
    await page.locator("dialog.separators .separator-sheet").count(),
    await page.locator("section.component").count(),
  );
  assert.match(await page.textContent("dialog.separators .separator-sheet"), /TỜ PHÂN CÁCH/);
  await page.click("dialog.separators .no-print button:last-child");

  step("build the PDF/A; sealing waits for the certified copy");
  await page.click("button.build-button");
  await page.waitForSelector("section.component[data-component='1'] .doc.pdfa:not(.stale)", { timeout: 60_000 });
  await page.click("button.seal-button");
  // The status line still tells of the import until the refusal replaces it.
  await page.locator("main .status .error", { hasText: /cần chứng thực|needs certification/ }).waitFor();
  const refused = await page.evaluate(async (c) => {
    const r = await fetch("/api/call", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command: "certify", args: { codes: [c], pin: "123456" } }),
    });
    return { status: r.status, body: await r.json() };
  }, code);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.code, "forbidden");
  assert.match(refused.body.message.en, /only a supervisor/);
  assert.equal(refused.body.message.vi, "chỉ lãnh đạo/giám sát được chứng thực");
  await shot("03-record-review");

  step("the supervisor certifies with the token: a wrong PIN, then the right one");
  await page.click("header button:has-text('Đăng xuất')");
  await page.waitForSelector("form.login");
  await signIn("minh", "giam-sat-456");
  await page.waitForSelector("nav a[href='#/certify']");
  await page.keyboard.press("Alt+3");
  await page.waitForSelector("form.certify");
  assert.match(await page.textContent("table.queue"), new RegExp(code.replace(/\./g, "\\.")));
  await page.selectOption("select[name=certificate]", certifier);
  await shot("04-certification-queue");
  await page.fill("input[name=title]", "Phó Chủ tịch");
  await page.fill("input[name=pin]", "000000");
  await page.click("form.certify button[type=submit]");
  await page.waitForSelector("#tasks .task.failed[data-kind=certify]", { timeout: 60_000 });
  assert.match(await page.textContent("#tasks .task.failed[data-kind=certify]"), /PIN/);
  await page.fill("input[name=pin]", "123456");
  await page.click("form.certify button[type=submit]");
  await page.waitForSelector("#tasks .task.done[data-kind=certify]", { timeout: 60_000 });
  const certified = await page.textContent("#tasks .task.done[data-kind=certify]");
  assert.match(certified, /Đã chứng thực: .* số 1/);
  // The task bar speaks one language at a time (the message catalogue).
  assert.doesNotMatch(certified, /certified|no\. 1/);
  await page.click(`table.queue button`).catch(() => {}); // the queue may already be empty after the refresh
  await page.goto(`${url}/#/certify`);
  await page.waitForSelector("form.certify");
  assert.match(await page.textContent("main"), /Không có hồ sơ nào chờ/);

  step("page image beside the certified PDF, then seal: the receipt slip");
  await page.goto(`${url}/#/record/${code}`);
  await page.waitForSelector(".doc.certified");
  await page
    .locator("section.component[data-component='1'] figure.page")
    .first()
    .locator("button[title]")
    .nth(2)
    .click();
  await page.waitForSelector("dialog.viewer img");
  await page.click("dialog.viewer button");
  await page.click("button.seal-button");
  await page.waitForSelector("dialog.slip");
  assert.equal((await page.textContent("dialog.slip .slip-code")).trim(), code);
  assert.equal(await page.locator("dialog.slip .qr svg").count(), 1);
  await shot("05-receipt-slip");
  await page.click("dialog.slip .no-print button:last-child");

  step("sync: the record goes to the hub");
  await page.keyboard.press("Alt+4");
  await page.waitForSelector("button.sync-button");
  await page.click("button.sync-button");
  await page.waitForSelector(`table.ledger tr[data-state=synced]`, { timeout: 60_000 });
  await shot("06-sync-ledger");

  step("reuse: the citizen's next record finds the certified copy at the hub, attaches it, is sealed and synced");
  await page.keyboard.press("Alt+2");
  await page.waitForSelector("form.new-record");
  await page.keyboard.type("chung thuc ban sao");
  await page.waitForFunction(() => document.querySelector("select[name=procedure]").value === "2.000815");
  await page.fill("input[name=name]", "Lê Minh Nam");
  await page.fill("input[name=personal_id]", "079070752696");
  await page.click("form.new-record button[type=submit]");
  await page.waitForSelector("button.reuse-button");
  const second = (await page.textContent("main h1")).replace(/^.* /, "");
  assert.notEqual(second, code);
  await page.click("button.reuse-button");
  // The first record's PDF/A and certified copy, named by the record and unit that made them.
  await page.waitForSelector("dialog.reuse li[data-role=certified]");
  // The ID was typed, not read from the chip: the clerk is told, and the hub's audit says so.
  assert.match(await page.textContent("dialog.reuse .warning"), /chưa được xác thực bằng chip/);
  assert.ok(await page.locator("dialog.reuse li[data-role=pdfa]").count());
  assert.match(
    await page.textContent("dialog.reuse li[data-role=certified]"),
    new RegExp(`hồ sơ ${code.replaceAll(".", "\\.")}`),
  );
  await shot("06b-reuse-lookup");
  await page.click("dialog.reuse li[data-role=certified] button[type=submit]");
  await page.waitForSelector("section.component[data-component='1'] .doc.reused");
  assert.match(await page.textContent("main .status"), /Đã gắn giấy tờ của hồ sơ/);
  assert.match(
    await page.textContent("section.component[data-component='1'] .doc.reused"),
    /Chứng thực · Dùng lại từ hồ sơ/,
  );
  // Nothing was scanned and nothing waits: the record is sealed as it stands.
  await page.click("button.seal-button");
  await page.waitForSelector("dialog.slip");
  assert.equal((await page.textContent("dialog.slip .slip-code")).trim(), second);
  await page.click("dialog.slip .no-print button:last-child");
  await page.keyboard.press("Alt+4");
  await page.click("button.sync-button");
  await page.waitForFunction(() => document.querySelectorAll("table.ledger tr[data-state=synced]").length === 2, null, {
    timeout: 60_000,
  });

  step("verification: the certified copy, picked from disk, judged as `hoso verify` judges it");
  const copyUrl = await page.evaluate(async (c) => {
    const r = await fetch("/api/call", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command: "document", args: { code: c, component: 1 } }),
    });
    return r.json();
  }, code);
  const copyFile = path.join(shots, "certified-copy.pdf");
  fs.writeFileSync(copyFile, Buffer.from(copyUrl.split(",")[1], "base64"));
  await page.keyboard.press("Alt+7"); // a supervisor's seventh item (accounts are an administrator's)
  await page.waitForSelector("input[name=signed]");
  await page.setInputFiles("input[name=signed]", copyFile);
  await page.waitForSelector("section.signature[data-verdict] >> nth=1");
  assert.equal(await page.locator("section.signature").count(), 2);
  const verified = await page.textContent(".verify-results");
  assert.match(verified, /Trần Thị Chứng Thực/);
  assert.match(verified, /UBND phường Sài Gòn/);
  assert.match(verified, /HoSo Test Root CA/, "the trust path up to the configured root");
  // The test CA names no revocation source and the counter keeps no CRL: said so, never "valid".
  assert.deepEqual(await page.locator("section.signature").evaluateAll((s) => s.map((e) => e.dataset.verdict)), [
    "revocation_unknown",
    "revocation_unknown",
  ]);
  assert.match(verified, /CHƯA KIỂM TRA ĐƯỢC THU HỒI/);
  await noHorizontalScroll();
  await shot("10-verify");
  fs.rmSync(copyFile);
  const notSigned = path.join(shots, "not-signed.pdf");
  fs.writeFileSync(notSigned, "%PDF-1.7\n%%EOF\n");
  await page.setInputFiles("input[name=signed]", notSigned);
  await page.waitForSelector(".verify-results .error");
  fs.rmSync(notSigned);

  step("diagnostics, settings, English");
  await page.keyboard.press("Alt+5");
  await page.waitForSelector("table.doctor tr[data-check=ocr]");
  assert.equal(await page.getAttribute("table.doctor tr[data-check=ocr]", "class"), "ok");
  assert.equal(await page.getAttribute("table.doctor tr[data-check=hub]", "class"), "ok");
  await shot("07-diagnostics");
  await page.keyboard.press("Alt+6");
  await page.waitForSelector("table.settings");
  assert.equal(
    await page.locator("form.settings button[type=submit]").count(),
    0,
    "a supervisor only reads the settings",
  );
  assert.ok(await page.locator("input[name=agency]").isDisabled());

  step("the administrator changes this PC's settings: a bad address is refused, the agency is saved");
  await page.click("header button:has-text('Đăng xuất')");
  await signIn("it01", "quan-tri-789");
  await page.waitForSelector("nav");
  await page.keyboard.press("Alt+6");
  await page.waitForSelector("form.settings button[type=submit]");
  assert.ok(await page.locator("input[name=data_dir]").isDisabled(), "the store folder is IT's job");
  await page.fill("input[name=tsa_url]", "tsa.example.vn");
  await page.click("form.settings button[type=submit]");
  await page.waitForSelector("main .status .error");
  assert.match(await page.textContent("main .status .error"), /tsa_url: .*http\(s\)/);
  await page.fill("input[name=tsa_url]", "");
  await page.fill("input[name=agency]", "UBND phường Sài Gòn — Bộ phận một cửa");
  await page.click("form.settings button[type=submit]");
  await page.waitForSelector("main .status .ok");
  assert.match(await page.textContent("main .status .ok"), /Đã lưu: agency/);
  assert.equal(await page.textContent("tr[data-key=agency] td.source"), "máy này");
  assert.match(await page.textContent("header .unit"), /Bộ phận một cửa/);
  await shot("09-settings");
  await page.click("header button:has-text('English')");
  await page.waitForSelector("nav a:has-text('Records')");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.keyboard.press("Alt+1");
  await page.waitForSelector("table.records");
  assert.match(await page.textContent("table.records"), /Synced/);
  await noHorizontalScroll();
  await shot("08-records-english");

  assert.deepEqual(pageErrors, [], "no script errors");
  step("all passed");
} catch (e) {
  await shot("failure").catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
