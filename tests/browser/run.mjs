// Runs every journey in Chromium with JavaScript on and off, at 360×740 and 1280×800.
//
//   CP_BASE_URL        the running portal (two-factor on), e.g. http://127.0.0.1:8123
//   CP_DEMO_PASSWORD   the password seed-demo printed for its accounts
//   CP_EXTRA_PASSWORD  the password of the admins quantri1–4 and leaders lanhdao1–4 .ci/browser adds
//   CP_OUT_DIR         where screenshots and PDFs go (default ../../target/browser)
//   CP_ONLY            optional: only the runs whose "<mode>-<size>" starts with this text
//
// Exit status 1 when any step failed or any check found a problem; each line names the journey,
// mode, size, step and page.
import { chromium } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { findings, stats } from './lib.mjs';
import * as J from './journeys.mjs';

const base = process.env.CP_BASE_URL;
const demoPassword = process.env.CP_DEMO_PASSWORD;
const extraPassword = process.env.CP_EXTRA_PASSWORD;
const out = process.env.CP_OUT_DIR || new URL('../../target/browser', import.meta.url).pathname;
if (!base || !demoPassword || !extraPassword) {
  console.error('set CP_BASE_URL, CP_DEMO_PASSWORD and CP_EXTRA_PASSWORD (see .ci/browser)');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// One power company per run, so that each run signs in with its own teams' accounts (a TOTP code
// cannot be used twice): the tip goes to the company's team; the denunciation names one of the
// company's staff, so routing skips that team (conflict of interest) and gives it to the
// corporation's. `accused` is in the directory .ci/browser imports (fixtures/directory.csv).
const PLACES = [
  { unit: 'Công ty Điện lực Hải Phòng', code: 'PCHAIPHONG', team: 'pchaiphong', corporation: 'evnnpc', accused: 'BT-PCHAIPHONG-1' },
  { unit: 'Công ty Điện lực Đà Nẵng', code: 'PCDANANG', team: 'pcdanang', corporation: 'evncpc', accused: 'BT-PCDANANG-1' },
  { unit: 'Công ty Điện lực Hoàn Kiếm', code: 'PCHOANKIEM', team: 'pchoankiem', corporation: 'evnhanoi', accused: 'BT-PCHOANKIEM-1' },
  { unit: 'Công ty Điện lực Sài Gòn', code: 'PCSAIGON', team: 'pcsaigon', corporation: 'evnhcmc', accused: 'BT-PCSAIGON-1' },
];
const MODES = [{ mode: 'js', js: true }, { mode: 'nojs', js: false }];
const SIZES = [{ size: '360x740', width: 360, height: 740 }, { size: '1280x800', width: 1280, height: 800 }];
const runs = MODES.flatMap((m) => SIZES.map((s) => ({ ...m, ...s })))
  .map((r, index) => ({ ...r, index, place: PLACES[index] }))
  .filter((r) => !process.env.CP_ONLY || `${r.mode}-${r.size}`.startsWith(process.env.CP_ONLY));

const browser = await chromium.launch({ executablePath: process.env.CP_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = {
  base,
  out,
  demoPassword,
  extraPassword,
  /** A fresh browser (context) per visitor: no cookies shared between people. */
  async newPage(run) {
    const context = await browser.newContext({
      viewport: { width: run.width, height: run.height },
      javaScriptEnabled: run.js,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      acceptDownloads: true,
      // axe-core is injected as a script tag; the portal's CSP (script-src 'self') would refuse it.
      bypassCSP: true,
    });
    context.setDefaultTimeout(15000);
    return context.newPage();
  },
};

const failures = [];
async function attempt(what, fn) {
  const started = Date.now();
  try {
    await fn();
    console.log(`ok    ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    console.log(`FAIL  ${what}: ${error.message}`);
    failures.push(error.message);
    return false;
  }
}

const started = Date.now();
for (const run of runs) {
  const tag = randomBytes(3).toString('hex');
  const state = { tipWord: `thuanh${tag}`, namedWord: `tocao${tag}`, keyboardWord: `banphim${tag}` };
  const name = `${run.mode}-${run.size}`;
  for (const journey of readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    rmSync(`${out}/${journey.name}/${name}`, { recursive: true, force: true });
  }
  // The reporters' visits and the staff steps between them, in the order they happen.
  await attempt(`${name} a tip with photo`, async () => {
    await J.fileTip(ctx, run, state);
    await J.tipTakenUp(ctx, run, state);
    await J.replyToQuestion(ctx, run, state);
    await J.tipClosed(ctx, run, state);
    await J.rateClosedCase(ctx, run, state);
  });
  let filed = false;
  await attempt(`${name} b named denunciation (filing)`, async () => {
    await J.fileDenunciation(ctx, run, state);
    filed = true;
  });
  let concluded = false;
  if (filed) {
    await attempt(`${name} c inspector and team lead`, async () => {
      await J.inspectorConcludes(ctx, run, state);
      concluded = true;
      await J.leadDecides(ctx, run, state);
    });
  }
  if (concluded) await attempt(`${name} b named denunciation (conclusion)`, () => J.readConclusion(ctx, run, state));
  await attempt(`${name} d leadership`, () => J.leadership(ctx, run));
  await attempt(`${name} e admin import`, () => J.adminImport(ctx, run));
  await attempt(`${name} keyboard`, () => J.keyboard(ctx, run, state));
  await attempt(`${name} public pages`, () => J.publicPages(ctx, run));
}
await browser.close();

for (const f of findings) console.log(`CHECK ${f}`);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`${runs.length} runs in ${seconds} s: ${stats.steps} steps, axe on ${stats.axePages} pages, Tab through ${stats.keyboardPages} pages, ${stats.widthChecks} width checks, ${stats.pdfs} PDFs`);
console.log(`${failures.length} failed journeys, ${findings.length} check findings; screenshots and PDFs in ${out}`);
process.exit(failures.length || findings.length ? 1 : 0);
