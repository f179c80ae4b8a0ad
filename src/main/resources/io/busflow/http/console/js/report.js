// A job: its live progress while it runs (SSE), then its report: metrics, confusion-matrix heat map, ROC and
// precision-recall curves with AUC, calibration, per-class precision/recall/F1, coefficients, regression
// plots and rejected rows — whatever of them the report holds (see reportdata.js).
import { get, del, events } from './api.js';
import { el, table, num, metric, duration, progressBar, badge, errorBox, time, setStatus } from './ui.js';
import { lineChart, heatMap, bars } from './charts.js';
import { chartsOf, rejections } from './reportdata.js';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

export function mount(root, [job]) {
  const head = el('div', { class: 'job-head' });
  const live = el('section', { class: 'card', id: 'live' });
  const body = el('div', { id: 'report' });
  root.append(el('p', {}, el('a', { href: '#/jobs' }, '‹ Jobs')), el('h1', {}, 'Job ', el('code', {}, job)), head, live, body);
  let close = () => {};

  const showProgress = (p) => {
    head.replaceChildren(badge(p.state), ' ', el('span', { class: 'muted' }, `${p.pipeline ?? ''} · ${p.phase ?? ''}`),
      ' ', el('button', { type: 'button', class: 'danger', onclick: () => del(`/api/v1/jobs/${job}`).catch(showError) }, 'Cancel'));
    live.replaceChildren(el('h2', {}, `Pass ${p.pass ?? '–'} of ${p.passes ?? '–'}: ${p.phase ?? ''}`),
      progressBar(p.rowsDone, p.rowsTotal),
      el('p', { class: 'stats' }, el('span', { id: 'rows-done', dataset: { value: p.rowsDone } }, `${num(p.rowsDone)} rows`),
        ` of ~${num(p.rowsTotal)} · `, el('span', { id: 'rows-per-s' }, `${num(p.rowsPerSecond)} rows/s`),
        ' · ETA ', el('span', { id: 'eta' }, duration(p.etaSeconds))));
  };
  const showError = (err) => live.replaceChildren(errorBox(err));
  const showReport = (r) => {
    close();
    live.remove();
    head.replaceChildren(badge(r.state), ' ', el('span', { class: 'muted' },
      `${r.pipeline} · ${r.mode} · ${time(r.startedAt)} – ${time(r.finishedAt)} · ${num(r.rowsDone)} rows · `
      + `${num(r.rowsPerSecond)} rows/s · ${duration((r.elapsedMs ?? 0) / 1000)}`));
    renderReport(body, r);
    root.dataset.state = r.state;
  };

  get(`/api/v1/jobs/${job}`).then((status) => {
    if (ENDED.has(status.state)) {
      showReport(status);
      return;
    }
    showProgress(status);
    close = events(`/api/v1/jobs/${job}/events`, (type, data) => {
      if (type === 'progress') showProgress(data);
      else if (type === 'report') showReport(data);
      else if (type === 'error') showError(data.error ?? data);
    }, (err) => err && showError(err));
  }).catch((err) => { showError(err); setStatus(err.message, true); });
  return () => close();
}

function renderReport(box, r) {
  if (r.error) box.append(el('section', { class: 'card' }, el('h2', {}, 'Error'), errorBox(r.error)));
  for (const c of chartsOf(r)) box.append(part(c));
  const rejected = rejections(r);
  box.append(el('section', { class: 'card', id: 'rejections' }, el('h2', {}, `Rejected rows (${rejected.length})`),
    rejected.length === 0 ? el('p', { class: 'muted' }, 'none')
      : table([
        { title: 'Part', cell: (x) => x.part }, { title: 'Source', cell: (x) => x.source },
        { title: 'Line', class: 'n', cell: (x) => x.line }, { title: 'Reason', cell: (x) => x.reason },
      ], rejected.slice(0, 500))));
}

function part(c) {
  const id = (name) => `${c.part}-${name}`;
  const section = el('section', { class: 'card part', id: id('part') }, el('h2', {}, `Evaluation: ${c.part}`));
  const grid = el('div', { class: 'grid' });
  section.append(table([{ title: 'Metric', cell: ([k]) => k }, { title: 'Value', class: 'n', cell: ([, v]) => metric(v) }],
    c.metrics, { class: 'metrics', id: id('metrics') }), grid);
  const panel = (title, ...content) => grid.appendChild(el('div', { class: 'panel' }, el('h3', {}, title), ...content));

  if (c.confusion) {
    const box = el('div');
    panel('Confusion matrix', box);
    heatMap(box, { id: id('confusion'), ...c.confusion });
  }
  if (c.roc) {
    const box = el('div', { class: 'chart' });
    panel('ROC curve', el('p', { class: 'auc' }, 'AUC ', el('strong', { id: id('roc-auc') }, metric(c.roc.auc))), box);
    lineChart(box, { id: id('roc'), x: 'false positive rate', y: 'true positive rate', square: true,
      series: [{ label: 'ROC' }, { label: 'chance', dash: true, color: '#9ca3af' }] })
      .setData([c.roc.xs, c.roc.ys, c.roc.xs], { auc: c.roc.auc });
  } else if (c.auc !== null) {
    panel('ROC', el('p', { class: 'auc' }, 'AUC ', el('strong', { id: id('roc-auc') }, metric(c.auc))),
      el('p', { class: 'muted' }, 'this report has no curve points'));
  }
  if (c.pr) {
    const box = el('div', { class: 'chart' });
    panel('Precision–recall', el('p', { class: 'auc' }, 'average precision ',
      el('strong', { id: id('pr-ap') }, metric(c.pr.averagePrecision ?? NaN))), box);
    lineChart(box, { id: id('pr'), x: 'recall', y: 'precision', square: true, series: [{ label: 'PR' }] })
      .setData([c.pr.xs, c.pr.ys], { averagePrecision: c.pr.averagePrecision });
  }
  if (c.calibration) {
    const box = el('div', { class: 'chart' });
    panel('Calibration', box);
    lineChart(box, { id: id('calibration'), x: 'mean predicted probability', y: 'fraction positive', square: true,
      series: [{ label: 'model' }, { label: 'perfect', dash: true, color: '#9ca3af' }] })
      .setData([c.calibration.xs, c.calibration.ys, c.calibration.xs], { counts: c.calibration.counts });
  }
  if (c.perClass) {
    const rows = [...c.perClass.classes.map((k) => ({ ...k, label: String(k.label) })),
      ...[['macro avg', c.perClass.macro], ['weighted avg', c.perClass.weighted]].filter(([, v]) => v)
        .map(([label, v]) => ({ ...v, label, avg: true }))];
    panel('Per class', table([
      { title: 'Class', cell: (k) => (k.avg ? el('em', {}, k.label) : k.label) },
      { title: 'Precision', class: 'n', cell: (k) => metric(k.precision) },
      { title: 'Recall', class: 'n', cell: (k) => metric(k.recall) },
      { title: 'F1', class: 'n', cell: (k) => metric(k.f1) },
      { title: 'Support', class: 'n', cell: (k) => num(k.support) },
    ], rows, { class: 'per-class', id: id('per-class') }));
  }
  if (c.coefficients) {
    const box = el('div');
    panel(`Coefficients (${c.coefficients.length}, largest first)`, box);
    bars(box, { id: id('coefficients'), items: c.coefficients.slice(0, 50) });
  }
  if (c.regression?.actualVsPredicted) {
    const box = el('div', { class: 'chart' });
    panel('Predicted vs actual', box);
    const f = c.regression.actualVsPredicted;
    lineChart(box, { id: id('predicted-vs-actual'), x: 'actual', y: 'predicted',
      series: [{ label: 'rows', points: true }, { label: 'ideal', dash: true, color: '#9ca3af' }] })
      .setData([f.xs, f.ys, f.xs]);
    const res = c.regression.residuals;
    const box2 = el('div', { class: 'chart' });
    panel('Residuals', box2);
    lineChart(box2, { id: id('residuals'), x: 'predicted', y: 'actual − predicted',
      series: [{ label: 'rows', points: true }, { label: 'zero', dash: true, color: '#9ca3af' }] })
      .setData([res.xs, res.ys, res.xs.map(() => 0)]);
  }
  return section;
}
