// The five journeys of issue 16 and the keyboard check of the report form. Each function takes
// a run (mode × size), the browser and the shared state of that run (receipt codes, case ids).
import { readFileSync } from 'node:fs';
import { Journey, expectText, printToPdf, signIn, submit } from './lib.mjs';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** dd/mm/yyyy and yyyy-mm-dd of a day `back` days ago in Vietnam (the portal's calendar), whatever
 * the machine's time zone. */
function day(back = 0) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.now() - back * 86400000));
  const get = (type) => parts.find((p) => p.type === type).value;
  return { vn: `${get('day')}/${get('month')}/${get('year')}`, iso: `${get('year')}-${get('month')}-${get('day')}` };
}

async function chooseUnit(page, unitName) {
  const value = await page.locator('#field-unit_id option').evaluateAll(
    (options, name) => options.find((o) => o.textContent.replace(/^[—\s]+/, '').trim() === name)?.value,
    unitName,
  );
  if (!value) throw new Error(`unit "${unitName}" is not offered on the report form`);
  await page.selectOption('#field-unit_id', value);
}

/** The receipt code as shown (five groups), read from the receipt page. */
async function readReceipt(page) {
  const groups = await page.locator('.receipt-code .receipt-group').allInnerTexts();
  const code = groups.join(' ');
  if (!/^\d{5}( \d{5}){4}$/.test(code)) throw new Error(`no 25-digit receipt code on the page: "${code}"`);
  return code;
}

async function fillReportBasics(page, run, text) {
  await chooseUnit(page, run.place.unit);
  await page.fill('#field-occurred_on', day(2).vn);
  await page.selectOption('#field-category_id', '1');
  await page.fill('#field-description', text);
}

/** Journey a, first part: a tip with a photo, the receipt, its print and a first follow-up. */
export async function fileTip(ctx, run, state) {
  const j = new Journey(ctx.out, 'a-tip-with-photo', run);
  const page = await ctx.newPage(run);
  await j.step(page, 'report-form', () => page.goto(`${ctx.base}/report`));
  await j.step(page, 'fill-tip', async () => {
    await fillReportBasics(page, run, `Nhân viên thu tiền điện quát nạt khách hàng tại quầy giao dịch, mã kiểm thử ${state.tipWord}. Tôi đính kèm ảnh chụp quầy.`);
    await page.fill('#field-staff_name', 'Nguyễn Văn Thử');
    await page.check('input[name=identity][value=anonymous]');
    await page.setInputFiles('#field-files', `${FIXTURES}photo.jpg`);
  });
  await j.step(page, 'receipt', async () => {
    await submit(page, 'form.report-form button[type=submit]');
    state.tipReceipt = await readReceipt(page);
  });
  await printToPdf(j, page, 'receipt-print', { maxPages: 1 });
  await page.close();

  const later = await ctx.newPage(run);
  await followUp(j, later, ctx, state.tipReceipt);
  await j.step(later, 'photo-listed', async () => {
    await expectText(later, 'main', 'photo.jpg', 'the status page lists the photo');
  });
  await later.context().close();
}

async function followUp(j, page, ctx, receipt) {
  await j.step(page, 'follow-up-form', () => page.goto(`${ctx.base}/follow-up`));
  await j.step(page, 'status', async () => {
    await page.fill('#field-receipt', receipt);
    await submit(page, 'form[action="/follow-up"].narrow button[type=submit]');
    if (!(await page.locator('.status-box').count())) throw new Error('the receipt code did not open the status page');
  });
}

/** Journey a, second part: the reporter reads the question and replies. */
export async function replyToQuestion(ctx, run, state) {
  const j = new Journey(ctx.out, 'a-tip-with-photo', run);
  j.n = 20;
  const page = await ctx.newPage(run);
  await followUp(j, page, ctx, state.tipReceipt);
  await j.step(page, 'question-shown', () => expectText(page, '.messages', state.tipQuestion, 'the team\'s question'));
  await j.step(page, 'reply-sent', async () => {
    await page.fill('#field-body', 'Sự việc xảy ra khoảng 9 giờ sáng, tại quầy số 2.');
    await submit(page, 'form[action="/follow-up/reply"] button[type=submit]');
    await expectText(page, '.messages', 'quầy số 2', 'the reply in the conversation');
  });
  await page.context().close();
}

/** Journey a, last part: the closed case is rated. */
export async function rateClosedCase(ctx, run, state) {
  const j = new Journey(ctx.out, 'a-tip-with-photo', run);
  j.n = 40;
  const page = await ctx.newPage(run);
  await followUp(j, page, ctx, state.tipReceipt);
  await j.step(page, 'rating-form', async () => {
    await submit(page, 'a[href="/follow-up/rating"]');
  });
  await j.step(page, 'rated', async () => {
    await page.check('input[name=score][value="5"]');
    await page.fill('#field-comment', 'Cảm ơn đoàn đã xử lý nhanh.');
    await submit(page, 'form[action="/follow-up/rating"] button[type=submit]');
    if (page.url().endsWith('/follow-up/rating') && (await page.locator('.field-error').count())) {
      throw new Error(`rating refused: ${await page.locator('.field-error').first().innerText()}`);
    }
  });
  await page.context().close();
}

/** Journey b, first part: a named denunciation. */
export async function fileDenunciation(ctx, run, state) {
  const j = new Journey(ctx.out, 'b-named-denunciation', run);
  const page = await ctx.newPage(run);
  await j.step(page, 'report-form', () => page.goto(`${ctx.base}/report`));
  await j.step(page, 'fill-named', async () => {
    await fillReportBasics(page, run, `Nhân viên ghi chỉ số công tơ đòi tiền "bồi dưỡng" để không lập biên bản, mã kiểm thử ${state.namedWord}.`);
    await page.fill('#field-staff_number', run.place.accused);
    await page.check('input[name=identity][value=named]');
    await page.fill('#field-full_name', 'Trần Thị Kiểm Thử');
    await page.fill('#field-address', '12 Phố Huế, Hà Nội');
    await page.fill('#field-phone', '0912345678');
    await page.check('input[name=consent]');
  });
  await j.step(page, 'receipt', async () => {
    await submit(page, 'form.report-form button[type=submit]');
    state.namedReceipt = await readReceipt(page);
  });
  await page.context().close();
}

/** Journey b, second part: the denouncer reads the conclusion. */
export async function readConclusion(ctx, run, state) {
  const j = new Journey(ctx.out, 'b-named-denunciation', run);
  j.n = 20;
  const page = await ctx.newPage(run);
  await followUp(j, page, ctx, state.namedReceipt);
  await j.step(page, 'conclusion', async () => {
    await expectText(page, 'main', state.conclusion, 'the conclusion on the status page');
  });
  await page.context().close();
}

async function caseAction(j, page, label, code, fill = async () => {}) {
  await j.step(page, label, async () => {
    const form = `form[action$="/actions/${code}"]`;
    if (!(await page.locator(form).count())) throw new Error(`the case page offers no "${code}" action`);
    await fill(form);
    await submit(page, `${form} button[type=submit]`);
    const error = page.locator('.field-error[role=alert]');
    if (await error.count()) throw new Error(`"${code}" refused: ${await error.first().innerText()}`);
  });
}

async function openCaseFromInbox(j, page, ctx, word, label) {
  await j.step(page, `inbox-${label}`, async () => {
    await page.goto(`${ctx.base}/cases`);
    await page.fill('#f-q', word);
    await submit(page, 'form:has(#f-q) button[type=submit]');
  });
  await j.step(page, `case-${label}`, async () => {
    const links = page.locator('table a[href^="/cases/"]');
    if ((await links.count()) !== 1) throw new Error(`expected one case matching "${word}" in the inbox, found ${await links.count()}`);
    await submit(page, 'table a[href^="/cases/"]');
  });
  return page.url().match(/\/cases\/(\d+)/)[1];
}

/** Journey a, staff part: the company's inspector takes up the tip and asks the reporter. */
export async function tipTakenUp(ctx, run, state) {
  const j = new Journey(ctx.out, 'a-tip-with-photo', run);
  j.n = 10;
  const page = await ctx.newPage(run);
  state.tipInspector = { page, j };
  await signIn(j, page, ctx.base, `thanhtra1.${run.place.team}@demo.evn.vn`, ctx.demoPassword);
  state.tipCase = await openCaseFromInbox(j, page, ctx, state.tipWord, 'tip');
  await j.step(page, 'photo-attached', () => expectText(page, 'main', 'photo.jpg', 'the reporter\'s photo on the case page'));
  await caseAction(j, page, 'take-up', 'accept');
  await caseAction(j, page, 'start-investigation', 'start-investigation');
  state.tipQuestion = 'Sự việc xảy ra vào buổi nào, tại quầy số mấy?';
  await caseAction(j, page, 'ask-reporter', 'ask-reporter', (f) => page.fill(`${f} textarea[name=message]`, state.tipQuestion));
}

/** Journey a, staff part: the inspector reads the reply and concludes; the team lead closes. */
export async function tipClosed(ctx, run, state) {
  const { page, j } = state.tipInspector;
  j.n = 30;
  await j.step(page, 'reply-read', async () => {
    await page.goto(`${ctx.base}/cases/${state.tipCase}`);
    await expectText(page, 'main', 'quầy số 2', 'the reporter\'s reply on the case page');
  });
  if (await page.locator('form[action$="/actions/resume-investigation"]').count()) {
    await caseAction(j, page, 'resume-investigation', 'resume-investigation');
  }
  await caseAction(j, page, 'conclude', 'conclude', async (f) => {
    await page.selectOption(`${f} select[name=finding]`, 'substantiated');
    await page.fill(`${f} textarea[name=summary]`, 'Đã nhắc nhở nhân viên quầy giao dịch.');
  });
  await page.context().close();
  const lead = await ctx.newPage(run);
  await signIn(j, lead, ctx.base, `truongdoan.${run.place.team}@demo.evn.vn`, ctx.demoPassword);
  await j.step(lead, 'lead-opens-case', () => lead.goto(`${ctx.base}/cases/${state.tipCase}`));
  await caseAction(j, lead, 'close', 'close');
  await lead.context().close();
}

/** Journey c, first part: the corporation's inspector (the company's own team is excluded: the
 * report names one of its staff) accepts the denunciation, asks the reporter, concludes. */
export async function inspectorConcludes(ctx, run, state) {
  const j = new Journey(ctx.out, 'c-inspector-and-team-lead', run);
  const page = await ctx.newPage(run);
  await signIn(j, page, ctx.base, `thanhtra1.${run.place.corporation}@demo.evn.vn`, ctx.demoPassword);
  state.namedCase = await openCaseFromInbox(j, page, ctx, state.namedWord, 'named');
  await caseAction(j, page, 'verify-denouncer', 'verify-denouncer', (f) => page.selectOption(`${f} select[name=method]`, 'phone'));
  await caseAction(j, page, 'accept', 'accept');
  await caseAction(j, page, 'start-investigation', 'start-investigation');
  await caseAction(j, page, 'ask-reporter', 'ask-reporter', (f) => page.fill(`${f} textarea[name=message]`, 'Ông/bà có giữ hóa đơn tháng đó không?'));
  await caseAction(j, page, 'resume-investigation', 'resume-investigation');
  state.conclusion = `Nội dung tố cáo là đúng: nhân viên ${run.place.accused} đã đòi tiền khách hàng.`;
  await caseAction(j, page, 'conclude', 'conclude', async (f) => {
    await page.selectOption(`${f} select[name=finding]`, 'substantiated');
    await page.fill(`${f} textarea[name=summary]`, state.conclusion);
  });
  await page.context().close();
  state.namedJourney = j;
}

/** Journey c, second part: the team lead records a lawful disciplinary decision and prints it. */
export async function leadDecides(ctx, run, state) {
  const j = state.namedJourney;
  const lead = await ctx.newPage(run);
  await signIn(j, lead, ctx.base, `truongdoan.${run.place.corporation}@demo.evn.vn`, ctx.demoPassword);
  await j.step(lead, 'discipline', () => lead.goto(`${ctx.base}/cases/${state.namedCase}/discipline`));
  await j.step(lead, 'finding-form', () => submit(lead, `a[href$="/discipline/findings/new"]`));
  await j.step(lead, 'finding-recorded', async () => {
    await lead.fill('#field-employee_number', run.place.accused);
    await lead.fill('#field-violation_date', day(2).iso);
    await lead.locator('input[name=articles]').first().check();
    await submit(lead, 'form[action$="/discipline/findings"] button[type=submit]');
    if (await lead.locator('.field-error').count()) throw new Error(`finding refused: ${await lead.locator('.field-error').first().innerText()}`);
  });
  await j.step(lead, 'decision-form', () => submit(lead, 'a[href*="/discipline/findings/"][href$="/decision"]'));
  await j.step(lead, 'decision-recorded', async () => {
    await lead.selectOption('#field-measure', 'reprimand');
    await lead.fill('#field-decision_number', `${run.index + 1}/QĐ-${run.place.code}`);
    await lead.fill('#field-decision_date', day(0).iso);
    await lead.fill('#field-signer_name', 'Phạm Văn Giám');
    await lead.fill('#field-signer_title', 'Giám đốc');
    await lead.check('input[name=representative_took_part]');
    await lead.check('input[name=employee_heard]');
    await lead.fill('#field-minutes_reference', `BB-${run.index + 1}/2026`);
    await lead.check('input[name=protected_state_checked]');
    await lead.selectOption('#field-protected_state_found', 'none');
    await submit(lead, 'form[action$="/decision"] button[type=submit]');
    if (await lead.locator('.field-error').count()) throw new Error(`decision refused: ${(await lead.locator(".field-error").allInnerTexts()).join(" / ")}`);
  });
  await j.step(lead, 'decision-print', () => submit(lead, 'a[href*="/discipline/decisions/"][href$="/print"]'));
  await printToPdf(j, lead, 'decision-print', { maxPages: 3 });
  await lead.context().close();
}

/** Journey d: leadership's dashboard, a drill-down, the XLSX export. */
export async function leadership(ctx, run) {
  const j = new Journey(ctx.out, 'd-leadership-dashboard', run);
  const page = await ctx.newPage(run);
  await signIn(j, page, ctx.base, `lanhdao${run.index + 1}@demo.evn.vn`, ctx.extraPassword);
  await j.step(page, 'dashboard', () => page.goto(`${ctx.base}/dashboard`));
  await j.step(page, 'drill-down', async () => {
    const before = page.url();
    const unit = page.locator('main table a[href*="unit="]').first();
    if (!(await unit.count())) throw new Error('no unit to drill into on the dashboard');
    await submit(page, 'main table a[href*="unit="] >> nth=0');
    if (page.url() === before) throw new Error('the drill-down did not change the page');
  });
  await j.step(page, 'xlsx', async () => {
    const link = page.locator('a[href*="xlsx"]').first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = j.file('export', 'xlsx');
    await download.saveAs(path);
    const head = readFileSync(path).subarray(0, 4);
    if (!head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw new Error(`the download is not an XLSX (zip) file: starts with ${head.toString('hex')}`);
    if (!/\.xlsx$/.test(download.suggestedFilename())) throw new Error(`the download is named ${download.suggestedFilename()}`);
  });
  await page.context().close();
}

/** Journey e: an admin imports the staff directory with one bad line and sees it named. */
export async function adminImport(ctx, run) {
  const j = new Journey(ctx.out, 'e-admin-staff-import', run);
  const page = await ctx.newPage(run);
  await signIn(j, page, ctx.base, `quantri${run.index + 1}@demo.evn.vn`, ctx.extraPassword);
  await j.step(page, 'import-form', () => page.goto(`${ctx.base}/admin/staff/import`));
  await j.step(page, 'bad-line-named', async () => {
    await page.setInputFiles('#field-file', `${FIXTURES}staff-one-bad-line.csv`);
    await submit(page, 'form[action="/admin/staff/import"] button[type=submit]');
    const rows = await page.locator('.import-errors tbody tr').allInnerTexts();
    if (rows.length !== 1) throw new Error(`expected one refused line, the page lists ${rows.length}: ${JSON.stringify(rows)}`);
    if (!/^4\b/.test(rows[0]) || !rows[0].includes('NOSUCHUNIT')) throw new Error(`the refused line is not line 4 naming NOSUCHUNIT: "${rows[0]}"`);
  });
  await page.context().close();
}

/** The report form with the keyboard only: Tab reaches every field and the button; Enter sends. */
export async function keyboard(ctx, run, state) {
  const j = new Journey(ctx.out, 'keyboard-report-form', run);
  const page = await ctx.newPage(run);
  await j.step(page, 'report-form', () => page.goto(`${ctx.base}/report`));
  const wanted = await page.locator('form.report-form').locator('input:not([type=hidden]), select, textarea, button').evaluateAll(
    (els) => els.map((e) => e.id || `${e.name}=${e.value}`),
  );
  const reached = new Set();
  await j.step(page, 'tab-through', async () => {
    await page.locator('body').focus();
    for (let i = 0; i < 200; i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const e = document.activeElement;
        return e && e.closest('form.report-form') ? e.id || `${e.name}=${e.value}` : null;
      });
      if (id) reached.add(id);
      if (id && id.startsWith('=') === false && (await page.evaluate(() => document.activeElement?.matches('form.report-form button[type=submit]')))) break;
    }
    // A radio group is one Tab stop: its other buttons are reached with the arrow keys.
    const missing = wanted.filter((w) => !reached.has(w) && !(w.startsWith('identity=') && [...reached].some((r) => r.startsWith('identity='))));
    if (missing.length) throw new Error(`Tab never reaches: ${missing.join(', ')}`);
  });
  // Focus by pressing Tab from the top of the page, as a keyboard user does.
  const focus = async (selector) => {
    await page.locator('body').focus();
    for (let i = 0; i < 200; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    }
    throw new Error(`Tab never reaches ${selector}`);
  };
  await j.step(page, 'typed-with-keyboard', async () => {
    await focus('#field-unit_id');
    const target = await page.locator('#field-unit_id option').evaluateAll(
      (options, name) => options.findIndex((o) => o.textContent.replace(/^[—\s]+/, '').trim() === name), run.place.unit);
    for (let i = 0; i < target; i += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab'); // date
    await page.keyboard.type(day(1).vn);
    await focus('#field-category_id');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`Nhân viên không tiếp khách đúng giờ, mã kiểm thử ${state.keyboardWord}.`);
    await focus('input[name=identity]');
    await page.keyboard.press('Space');
    const values = await page.evaluate(() => ({
      unit: document.querySelector('#field-unit_id').selectedOptions[0].textContent,
      category: document.querySelector('#field-category_id').value,
      identity: document.querySelector('input[name=identity]:checked')?.value,
    }));
    if (!values.unit.includes(run.place.unit) || !values.category || values.identity !== 'anonymous') {
      throw new Error(`the keyboard did not fill the form: ${JSON.stringify(values)}`);
    }
  });
  // Enter in the 360-px runs, Space in the 1280-px runs: both keys, with JavaScript on and off.
  const key = run.width < 1000 ? 'Enter' : 'Space';
  await j.step(page, `sent-with-${key.toLowerCase()}`, async () => {
    await focus('form.report-form button[type=submit]');
    await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
    await readReceipt(page);
  });
  await page.context().close();
}

/** The public pages no journey above passes through, checked like every journey page. */
export async function publicPages(ctx, run) {
  const j = new Journey(ctx.out, 'public-pages', run);
  const page = await ctx.newPage(run);
  for (const [label, path] of [['home', '/'], ['transparency', '/transparency'], ['commend', '/commend'], ['privacy', '/privacy'], ['english-report-form', '/report?lang=en']]) {
    await j.step(page, label, async () => {
      const response = await page.goto(`${ctx.base}${path}`);
      if (!response.ok()) throw new Error(`answered ${response.status()}`);
    });
  }
  await page.context().close();
}
