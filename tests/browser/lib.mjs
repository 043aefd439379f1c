// The harness of the browser journeys: numbered steps with a screenshot each, failures that name
// the journey, mode, size, step and page, axe-core and layout checks, TOTP sign-in.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as OTPAuth from 'otpauth';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** A failed step: everything a reader of the CI log needs to find it. */
export class StepFailure extends Error {
  constructor(journey, run, step, url, cause) {
    super(`journey ${journey}, mode ${run.mode}, size ${run.size}, step "${step}", page ${url}: ${cause?.message ?? cause}`);
    this.cause = cause;
  }
}

/** What the checks covered, printed at the end. */
export const stats = { steps: 0, axePages: 0, keyboardPages: 0, widthChecks: 0, pdfs: 0 };

/** Problems that do not stop a journey (accessibility, layout, print) but fail the run. */
export const findings = [];

export function finding(journey, run, step, url, message) {
  findings.push(`journey ${journey}, mode ${run.mode}, size ${run.size}, step "${step}", page ${url}: ${message}`);
}

/** One journey in one run: steps numbered from 01, screenshots under OUT/<journey>/<mode>-<size>/. */
export class Journey {
  constructor(out, name, run) {
    this.name = name;
    this.run = run;
    this.n = 0;
    this.dir = `${out}/${name}/${run.mode}-${run.size}`;
    mkdirSync(this.dir, { recursive: true });
  }

  file(label, ext) {
    return `${this.dir}/${String(this.n).padStart(2, '0')}-${label}.${ext}`;
  }

  /** Runs `action`, then screenshots the page and (JavaScript on) checks it. */
  async step(page, label, action, { checks = true } = {}) {
    this.n += 1;
    try {
      await action();
      await page.waitForLoadState('load');
    } catch (error) {
      await page.screenshot({ path: this.file(`${label}-FAILED`, 'png'), fullPage: true }).catch(() => {});
      throw new StepFailure(this.name, this.run, label, page.url(), error);
    }
    await page.screenshot({ path: this.file(label, 'png'), fullPage: true });
    stats.steps += 1;
    if (checks) await checkPage(this, page, label);
  }

  fail(page, label, message) {
    throw new StepFailure(this.name, this.run, label, page.url(), new Error(message));
  }
}

const axeSeen = new Set();

/** axe-core at WCAG 2.1 AA (JavaScript-on runs: it runs as a script in the page), the page's
 * width, and 200 % zoom. */
async function checkPage(journey, page, label) {
  const url = page.url();
  const key = `${journey.run.size} ${url.replace(/\/\d+(?=\/|$)/g, '/N')} ${await page.title()}`;
  const firstVisit = !axeSeen.has(key);
  axeSeen.add(key);
  if (journey.run.js && firstVisit) {
    stats.axePages += 1;
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      finding(journey.name, journey.run, label, url, `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×: ${where})`);
    }
  }
  await checkWidth(journey, page, label, journey.run.width);
  if (firstVisit && journey.run.js && journey.run.width >= 1280) await checkKeyboard(journey, page, label);
  if (journey.run.width >= 1280) {
    // 1280×800 at 200 % zoom is a 640×400 CSS-pixel viewport.
    await page.setViewportSize({ width: 640, height: 400 });
    await checkWidth(journey, page, `${label} at 200 %`, 640, true);
    await page.setViewportSize({ width: journey.run.width, height: journey.run.height });
  }
}

/** Tab from the top of the page reaches every visible form control of `main` (a radio group is
 * one Tab stop, reached when any of its buttons is). */
async function checkKeyboard(journey, page, label) {
  stats.keyboardPages += 1;
  const controls = await page.evaluate(() => {
    // What a closed <details> holds is reached after opening it (Enter on its summary).
    const closed = [...document.querySelectorAll('details:not([open])')];
    closed.forEach((d) => { d.open = true; d.dataset.kbdClosed = ''; });
    const out = [];
    document.querySelectorAll('main input:not([type=hidden]), main select, main textarea, main button').forEach((el, i) => {
      const r = el.getBoundingClientRect();
      if (el.disabled || (r.width === 0 && r.height === 0) || getComputedStyle(el).visibility === 'hidden') return;
      el.dataset.kbd = String(i);
      out.push({ kbd: String(i), group: el.type === 'radio' ? `radio:${el.form ? [...document.forms].indexOf(el.form) : ''}:${el.name}` : null,
        name: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''}` });
    });
    return out;
  });
  if (!controls.length) return;
  // Start from the top: focus a temporary, untabbable element placed first in the body.
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    start.id = 'kbd-start';
    document.body.prepend(start);
    start.focus();
  });
  const reached = new Set();
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el !== document.body && el.id !== 'kbd-start' ? el.dataset.kbd ?? '-' : null;
    });
    if (!at) break; // past the last element
    reached.add(at);
  }
  await page.evaluate(() => document.getElementById('kbd-start')?.remove());
  const groups = new Set(controls.filter((c) => c.group && reached.has(c.kbd)).map((c) => c.group));
  const missing = controls.filter((c) => !reached.has(c.kbd) && !(c.group && groups.has(c.group)));
  if (missing.length) {
    finding(journey.name, journey.run, label, page.url(), `Tab never reaches ${missing.length} control(s): ${missing.slice(0, 5).map((c) => c.name).join(', ')}`);
  }
  await page.evaluate(() => {
    document.querySelectorAll('[data-kbd]').forEach((el) => delete el.dataset.kbd);
    document.querySelectorAll('[data-kbd-closed]').forEach((d) => { d.open = false; delete d.dataset.kbdClosed; });
  });
}

/** No horizontal scroll, no form control past the right edge. */
async function checkWidth(journey, page, label, width, zoomed = false) {
  stats.widthChecks += 1;
  const problems = await page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`horizontal scroll: scrollWidth ${doc.scrollWidth} > innerWidth ${window.innerWidth}`);
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not rendered
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      // Inside a scrolling box (a wide table), a control may be scrolled out of view on purpose.
      let scroller = el.parentElement;
      while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
      const right = scroller ? Math.min(scroller.getBoundingClientRect().right, window.innerWidth) : window.innerWidth;
      if (!scroller && (r.right > right + 1 || r.left < -1)) {
        out.push(`clipped control ${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''}: left ${Math.round(r.left)}, right ${Math.round(r.right)} of ${window.innerWidth}`);
      }
    }
    return out;
  });
  if (problems.length && zoomed) {
    await page.screenshot({ path: journey.file(`${label.replace(/[^a-z0-9-]+/gi, '-')}-zoom200-FAILED`, 'png'), fullPage: true });
  }
  for (const p of problems.slice(0, 5)) finding(journey.name, journey.run, label, page.url(), `${p} (viewport ${width} px)`);
}

/** Prints the page as Chromium does (print media, A4) and checks it is one page wide. */
export async function printToPdf(journey, page, label, { maxPages } = {}) {
  const pdfPath = journey.file(label, 'pdf');
  await page.emulateMedia({ media: 'print' });
  // The printable width: A4's 210 mm less the page's own @page side margins (none: the whole
  // sheet). Laid out at that width in print media, nothing may reach past the right edge.
  const printable = await page.evaluate(() => {
    const px = (value) => {
      if (!value) return 0;
      const probe = document.createElement('div');
      probe.style.cssText = `position:absolute;visibility:hidden;width:${value}`;
      document.body.appendChild(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    };
    let left = 0;
    let right = 0;
    for (const sheet of document.styleSheets) {
      for (const rule of sheet.cssRules) {
        if (rule instanceof CSSPageRule && !rule.selectorText) {
          left = px(rule.style.marginLeft) || left;
          right = px(rule.style.marginRight) || right;
        }
      }
    }
    return Math.floor(px('210mm') - left - right);
  });
  const saved = page.viewportSize();
  await page.setViewportSize({ width: printable, height: 1123 });
  const wide = await page.evaluate(() => {
    const doc = document.documentElement;
    const out = [];
    if (doc.scrollWidth > window.innerWidth) out.push(`print layout ${doc.scrollWidth} px wide > ${window.innerWidth} px printable`);
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > window.innerWidth + 1) {
        out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} reaches ${Math.round(r.right)} px of ${window.innerWidth} px printable`);
        break;
      }
    }
    return out;
  });
  for (const w of wide) finding(journey.name, journey.run, label, page.url(), w);
  await page.setViewportSize(saved);
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  stats.pdfs += 1;
  const pdf = readFileSync(pdfPath).toString('latin1');
  const pages = (pdf.match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
  const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  if (!boxes.length || boxes.some(([w, h]) => Math.abs(w - 595.3) > 2 || Math.abs(h - 841.9) > 2)) {
    finding(journey.name, journey.run, label, page.url(), `PDF pages are not A4 portrait: ${JSON.stringify(boxes)}`);
  }
  if (pages < 1 || (maxPages && pages > maxPages)) {
    finding(journey.name, journey.run, label, page.url(), `PDF has ${pages} pages (expected 1–${maxPages})`);
  }
  return { pdfPath, pages };
}

/** TOTP secrets read from the enrolment pages, and the last time step each account used. */
const totp = new Map();

function totpFor(email) {
  const entry = totp.get(email);
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(entry.secret), digits: 6, period: 30, algorithm: 'SHA1' });
}

/** A code from a time step this account has not used yet (the portal refuses a replayed code). */
async function freshCode(email) {
  const entry = totp.get(email);
  let step = Math.floor(Date.now() / 30000);
  if (entry.lastStep !== undefined && step <= entry.lastStep) {
    const wait = (entry.lastStep + 1) * 30000 - Date.now() + 200;
    await new Promise((r) => setTimeout(r, wait));
    step = Math.floor(Date.now() / 30000);
  }
  entry.lastStep = step;
  return totpFor(email).generate();
}

/** Signs in with password and TOTP, enrolling the authenticator at the first sign-in. */
export async function signIn(journey, page, base, email, password) {
  await journey.step(page, 'sign-in-page', async () => {
    await page.goto(`${base}/staff/sign-in`);
  });
  await journey.step(page, 'password', async () => {
    await page.fill('#field-email', email);
    await page.fill('#field-password', password);
    await page.click('form[action="/staff/sign-in"] button[type=submit]');
  });
  if (page.url().includes('/two-factor')) {
    await journey.step(page, 'enrol-two-factor', async () => {
      const secret = (await page.locator('code.secret').innerText()).replace(/[\s-]/g, '');
      if (!/^[A-Z2-7]+=*$/.test(secret)) throw new Error(`no base32 secret on the enrolment page: "${secret}"`);
      totp.set(email, { secret });
      await page.fill('#field-code', await freshCode(email));
      await page.click('form[action="/staff/account/two-factor"] button[type=submit]');
      if (page.url().includes('/two-factor') && (await page.locator('.field-error').count())) {
        throw new Error(`code refused: ${await page.locator('.field-error').innerText()}`);
      }
    });
  } else if (page.url().includes('/sign-in/code')) {
    await journey.step(page, 'two-factor-code', async () => {
      if (!totp.has(email)) throw new Error(`no TOTP secret known for ${email}`);
      await page.fill('#field-code', await freshCode(email));
      await page.click('form[action="/staff/sign-in/code"] button[type=submit]');
      if (page.url().includes('/sign-in')) throw new Error('the code was refused');
    });
  } else {
    journey.fail(page, 'password', `expected the two-factor page after the password, got ${page.url()}`);
  }
}

/** Clicks a submit button and waits for the page it leads to. */
export async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

export async function expectText(page, selector, pattern, what) {
  const text = await page.locator(selector).first().innerText();
  if (!(pattern instanceof RegExp ? pattern.test(text) : text.includes(pattern))) {
    throw new Error(`${what}: ${pattern} not found in ${selector} ("${text.slice(0, 300)}")`);
  }
}
