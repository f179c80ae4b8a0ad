// Drives busflow's web console in real headless Chromium (Debian's /usr/bin/chromium, through puppeteer-core)
// and prints one JSON line: {"scenario", "problem": null or what went wrong, …what was seen}.
// Used by io.busflow.http.ConsoleBrowserTest.
//   node console-browser.js console BASE_URL PIPELINE   no console errors; start PIPELINE from the page, see its
//                                                        progress move, then its report; the confusion matrix
//                                                        matches the API's report; a fixture report's ROC, PR,
//                                                        calibration, per-class and coefficients are drawn exactly
//   node console-browser.js keys BASE_URL KEY           nothing shown before the key; the cluster after it
//   node console-browser.js leave BASE_URL CONTROL_URL  two nodes shown; POST CONTROL_URL makes one leave; it goes
// With BUSFLOW_SCREENSHOTS=DIR, the console scenario writes console-cluster.png, console-job-running.png,
// console-report.png (a real job) and console-report-plots.png (the fixture report, every plot) there.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [scenario, base, arg] = process.argv.slice(2);
const shots = process.env.BUSFLOW_SCREENSHOTS;
const result = { scenario, problem: null, consoleErrors: [] };

function check(ok, message) {
  if (!ok) throw new Error(message);
}

async function waitFor(page, fn, what, timeout = 20000, ...args) {
  try {
    return await page.waitForFunction(fn, { timeout, polling: 100 }, ...args);
  } catch (e) {
    throw new Error(`timed out waiting for ${what}`);
  }
}

async function open(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => {
    const aborted = (r.failure()?.errorText ?? '').includes('ERR_ABORTED');
    if (!aborted) result.consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return page;
}

const shot = async (page, name) => { if (shots) await page.screenshot({ path: path.join(shots, name), fullPage: false }); };

async function consoleScenario(browser) {
  const page = await open(browser);
  await page.goto(base + '/', { waitUntil: 'load' });
  await waitFor(page, () => document.querySelectorAll('table.actors tbody tr').length > 0, 'the actors table');
  result.actorsShown = await page.$$eval('table.actors tbody tr', (rows) => rows.length);

  // start a job from the page
  await page.goto(base + '/#/jobs');
  await waitFor(page, (p) => [...document.querySelectorAll('#pipeline option')].some((o) => o.value === p),
    'the pipeline list', 20000, arg);
  await page.select('#pipeline', arg);
  await page.click('#start');
  await waitFor(page, () => /^#\/jobs\/.+/.test(location.hash), 'the job page');
  result.job = await page.evaluate(() => decodeURIComponent(location.hash.slice('#/jobs/'.length)));
  const seen = [];
  for (let i = 0; i < 400 && seen.length < 3; i++) {
    const v = await page.evaluate(() => document.getElementById('rows-done')?.dataset.value);
    if (v !== undefined && Number(v) > 0 && !seen.includes(Number(v))) {
      seen.push(Number(v));
      if (seen.length === 2) await shot(page, 'console-job-running.png');
    }
    if (await page.$('#report section')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  result.progressSeen = seen;
  check(seen.length >= 2 && seen[1] > seen[0], `progress did not move on the page: ${JSON.stringify(seen)}`);
  await waitFor(page, () => document.querySelector('#training-confusion'), 'the report with its confusion matrix', 60000);
  await new Promise((r) => setTimeout(r, 300));
  const fromApi = await page.evaluate(async (job) => (await fetch(`/api/v1/jobs/${job}`)).json(), result.job);
  const drawn = await page.evaluate(() => [...document.querySelectorAll('#training-confusion tbody tr')]
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.dataset.count))));
  const expected = fromApi.training.evaluation.confusion?.matrix ?? fromApi.training.evaluation.metrics.confusion_matrix;
  result.confusion = drawn;
  check(JSON.stringify(drawn) === JSON.stringify(expected),
    `confusion matrix on the page ${JSON.stringify(drawn)} differs from the report's ${JSON.stringify(expected)}`);
  const auc = await page.$eval('#training-roc-auc', (e) => e.textContent);
  const expectedAuc = fromApi.training.evaluation.roc?.auc ?? fromApi.training.evaluation.metrics.roc_auc;
  result.auc = auc;
  check(Math.abs(Number(auc) - expectedAuc) < 1e-4, `AUC on the page ${auc} differs from the report's ${expectedAuc}`);
  const apiRoc = fromApi.training.evaluation.roc;
  check(Array.isArray(apiRoc?.fpr) && apiRoc.fpr.length > 1, `the report has no ROC curve: ${JSON.stringify(apiRoc)}`);
  if (apiRoc) {
    const rocPoints = apiRoc.fpr.map((f, i) => ({ fpr: f, tpr: apiRoc.tpr[i] }));
    await checkCurve(page, 'training-roc', rocPoints, 'fpr', 'tpr');
  }
  await shot(page, 'console-report.png');

  await fixtureReport(browser);

  await page.goto(base + '/#/cluster');
  await waitFor(page, () => document.querySelectorAll('table.actors tbody tr').length > 0, 'the actors table again');
  await new Promise((r) => setTimeout(r, 4500));
  await shot(page, 'console-cluster.png');
  for (const hash of ['#/deadletters', '#/catalog', '#/api']) {
    await page.goto(base + '/' + hash);
    await waitFor(page, () => document.querySelector('#app table, #app details, #app .card'), `the page ${hash}`);
  }
  await waitFor(page, () => document.querySelectorAll('details.op').length > 5, 'the API operations');
  result.apiOperations = await page.$$eval('details.op', (d) => d.length);
  await page.close();
}

async function checkCurve(page, id, points, x, y) {
  const chart = await page.evaluate((i) => window.busflow.charts[i], id);
  check(chart, `no chart ${id}`);
  const sorted = [...points].sort((a, b) => a[x] - b[x] || a[y] - b[y]);
  const same = (a, b) => a.length === b.length && a.every((v, k) => Math.abs(v - b[k]) < 1e-12);
  check(same(chart.data[0], sorted.map((p) => p[x])) && same(chart.data[1], sorted.map((p) => p[y])),
    `${id} draws ${JSON.stringify(chart.data.slice(0, 2))}, the report has ${JSON.stringify(sorted)}`);
  check(await page.evaluate(() => document.querySelectorAll('.uplot canvas').length > 0), `${id} has no canvas`);
}

/** A report with every plot's numbers (the fixture), served in place of a job's: each is drawn as given. */
async function fixtureReport(browser) {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/report-all-plots.json'), 'utf8'));
  const page = await open(browser);
  await page.setRequestInterception(true);
  page.on('request', (r) => (r.url().endsWith('/api/v1/jobs/fixture-report')
    ? r.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(fixture) }) : r.continue()));
  await page.goto(base + '/#/jobs/fixture-report');
  await waitFor(page, () => window.busflow?.charts?.['training-residuals'], 'the fixture report');
  const ev = fixture.training.evaluation;
  await checkCurve(page, 'training-roc', ev.roc.points, 'fpr', 'tpr');
  await checkCurve(page, 'training-pr', ev.pr.points, 'recall', 'precision');
  const cal = await page.evaluate(() => window.busflow.charts['training-calibration'].data);
  check(cal[0].length === ev.calibration.bins.filter((b) => b.count > 0).length, 'calibration bins');
  const auc = await page.$eval('#training-roc-auc', (e) => Number(e.textContent));
  check(Math.abs(auc - ev.roc.auc) < 1e-4, `fixture AUC ${auc} vs ${ev.roc.auc}`);
  const cells = await page.$$eval('#training-confusion td', (tds) => tds.map((t) => Number(t.dataset.count)));
  check(JSON.stringify(cells) === JSON.stringify(ev.confusion.matrix.flat()), `fixture confusion ${cells}`);
  const perClass = await page.$$eval('#training-per-class tbody tr', (rows) => rows.map((r) => r.children[0].textContent));
  check(perClass[0] === String(ev.perClass.classes[0].label) && perClass.includes('macro avg'), `per class ${perClass}`);
  const coefs = await page.$$eval('#training-coefficients .bar-row', (rows) => rows.map((r) => Number(r.dataset.value)));
  const expected = ev.coefficients.map((c) => c.coef).sort((a, b) => Math.abs(b) - Math.abs(a));
  check(JSON.stringify(coefs) === JSON.stringify(expected), `coefficients ${coefs} vs ${expected}`);
  const rejected = await page.$$eval('#rejections tbody tr', (rows) => rows.length);
  check(rejected === fixture.training.source.rejections.length, `rejected rows ${rejected}`);
  result.fixtureChecked = true;
  await page.setViewport({ width: 1280, height: 1500 });
  await shot(page, 'console-report-plots.png');
  await page.close();
}

async function keysScenario(browser) {
  const page = await open(browser);
  const apiCalls = [];
  page.on('response', (r) => { if (r.url().includes('/api/')) apiCalls.push(r.status()); });
  await page.goto(base + '/', { waitUntil: 'load' });
  await waitFor(page, () => !document.getElementById('key-form').hidden, 'the key prompt');
  const before = await page.evaluate(() => ({ app: document.getElementById('app').hidden,
    nav: document.getElementById('nav').hidden, text: document.getElementById('app').textContent,
    tables: document.querySelectorAll('table').length }));
  result.before = before;
  check(before.app && before.nav && before.text === '' && before.tables === 0, `something shown before the key: ${JSON.stringify(before)}`);
  await page.type('#key-input', 'wrong-key-wrong-key');
  await page.click('#key-form button');
  await waitFor(page, () => document.getElementById('key-error').textContent.length > 0, 'the refusal of a wrong key');
  check(await page.$eval('#app', (a) => a.hidden && a.textContent === ''), 'shown after a wrong key');
  await page.type('#key-input', arg);
  await page.click('#key-form button');
  await waitFor(page, () => document.querySelectorAll('table.actors tbody tr').length > 0, 'the actors after the key');
  check(!page.url().includes(arg), 'the key is in the URL');
  await page.goto(base + '/#/jobs');
  await waitFor(page, () => document.querySelectorAll('#pipeline option').length > 0, 'the pipelines with the key');
  result.apiStatuses = [...new Set(apiCalls)].sort();
  // the test's own errors: the 401 and 403 answers the browser logs for the refused calls
  result.consoleErrors = result.consoleErrors.filter((e) => !/status of 40[13]/.test(e));
  await page.close();
}

async function leaveScenario(browser) {
  const page = await open(browser);
  await page.goto(base + '/#/cluster');
  await waitFor(page, () => document.querySelectorAll('table.nodes tbody tr').length === 2, 'two nodes');
  result.nodesBefore = await page.$$eval('table.nodes tbody tr', (r) => r.map((x) => x.dataset.key));
  const res = await fetch(arg, { method: 'POST' });
  check(res.ok, `the control URL answered ${res.status}`);
  await waitFor(page, () => document.querySelectorAll('table.nodes tbody tr').length === 1, 'the node to go', 30000);
  result.nodesAfter = await page.$$eval('table.nodes tbody tr', (r) => r.map((x) => x.dataset.key));
  await page.close();
}

(async () => {
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  try {
    await ({ console: consoleScenario, keys: keysScenario, leave: leaveScenario })[scenario](browser);
    if (result.consoleErrors.length > 0) result.problem = `console errors: ${result.consoleErrors.join(' | ')}`;
  } catch (e) {
    result.problem = e.message;
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
})();
