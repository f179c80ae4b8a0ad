// The one place that knows where a job report keeps the numbers behind the plots. It turns a report
// (GET /api/v1/jobs/{id} once ended) into chart data; everything absent comes back null and is not drawn.
// Adjust the paths here when the report changes.
//
// An evaluation (report.training.evaluation, report.scoring.evaluation, or report.evaluation) may hold:
//   metrics     {accuracy, roc_auc, labels, confusion_matrix, r2, …}
//   confusion   {labels:[…], matrix:[[…]]}                     (else metrics.labels + metrics.confusion_matrix)
//   roc         {points:[{fpr,tpr,threshold}], auc}            (auc else metrics.roc_auc)
//   pr          {points:[{recall,precision,threshold}], averagePrecision}
//   calibration {bins:[{meanPredicted, fractionPositive, count}]}
//   perClass    {classes:[{label,precision,recall,f1,support}], macro:{…}, weighted:{…}}
//   coefficients [{feature, coef, class?}]                     (else report.training.model.coefficients)
//   sample      [{actual, predicted}]                          (regression)

const PARTS = ['training', 'scoring'];

/** The evaluated parts of a report: [{part, evaluation}], training first. */
function evaluations(report) {
  const out = PARTS.filter((p) => report?.[p]?.evaluation).map((p) => ({ part: p, evaluation: report[p].evaluation }));
  if (report?.evaluation) out.push({ part: 'evaluation', evaluation: report.evaluation });
  return out;
}

function confusion(ev) {
  const c = ev.confusion;
  if (c?.labels && c?.matrix) return { labels: c.labels, matrix: c.matrix };
  const m = ev.metrics;
  return m?.labels && m?.confusion_matrix ? { labels: m.labels, matrix: m.confusion_matrix } : null;
}

/** Points sorted by x, as [xs, ys] (uPlot wants ascending x); null when there are none. */
function curve(points, x, y) {
  if (!Array.isArray(points) || points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a[x] - b[x] || a[y] - b[y]);
  return { xs: sorted.map((p) => p[x]), ys: sorted.map((p) => p[y]), points: sorted };
}

/** Column arrays {a: [...], b: [...]} as points [{a, b}] (the report's own form of a curve). */
function zip(obj, keys) {
  if (!obj || !keys.every((k) => Array.isArray(obj[k]))) return null;
  return obj[keys[0]].map((_, i) => Object.fromEntries(keys.map((k) => [k, obj[k][i]])));
}

function roc(ev) {
  const points = Array.isArray(ev.roc?.points) ? ev.roc.points : zip(ev.roc, ['fpr', 'tpr']);
  const c = curve(points, 'fpr', 'tpr');
  return c ? { ...c, auc: ev.roc.auc ?? ev.metrics?.roc_auc ?? null } : null;
}

function pr(ev) {
  const src = ev.pr ?? ev.precisionRecall;
  const points = Array.isArray(src?.points) ? src.points : zip(src, ['recall', 'precision']);
  const c = curve(points, 'recall', 'precision');
  return c ? { ...c, averagePrecision: src.averagePrecision ?? null } : null;
}

function calibration(ev) {
  const bins = ev.calibration?.bins?.filter((b) => b.count > 0);
  const c = curve(bins, 'meanPredicted', 'fractionPositive');
  return c ? { ...c, counts: c.points.map((b) => b.count) } : null;
}

function perClass(ev) {
  const p = ev.perClass ?? ev.classReport;
  return p?.classes?.length ? { classes: p.classes, macro: p.macro ?? null, weighted: p.weighted ?? null } : null;
}

/** Coefficients by feature, largest magnitude first. */
function coefficients(ev, report) {
  let list = ev.coefficients ?? report?.training?.model?.coefficients ?? report?.training?.coefficients;
  if (!Array.isArray(list) || list.length === 0) return null;
  if (Array.isArray(list[0]?.coefficients)) {   // the report's form: one row per class, its terms inside
    list = list.flatMap((row) => row.coefficients.map((t) => ({ feature: t.feature, coef: t.coef, class: row.class })));
  }
  return [...list].sort((a, b) => Math.abs(b.coef) - Math.abs(a.coef))
    .map((c) => ({ label: c.class !== undefined && c.class !== null ? `${c.feature} (${c.class})` : c.feature, value: c.coef }));
}

function regression(ev) {
  const sample = ev.sample ?? zip(ev.predictedVsActual, ['actual', 'predicted']);
  if (!Array.isArray(sample) || sample.length === 0) return null;
  const fit = curve(sample, 'actual', 'predicted');
  const res = curve(sample.map((s) => ({ predicted: s.predicted, residual: s.actual - s.predicted })), 'predicted', 'residual');
  return { actualVsPredicted: fit, residuals: res };
}

/** Scalar metrics only (numbers), for the metrics table. */
function scalars(metrics) {
  return Object.entries(metrics ?? {}).filter(([, v]) => typeof v === 'number');
}

/** Rejected rows of every source the job read: [{part, source, line, reason}]. */
export function rejections(report) {
  const out = [];
  for (const part of PARTS) {
    const src = report?.[part]?.source;
    for (const r of src?.rejections ?? []) out.push({ part, source: src.source, line: r.line, reason: r.reason });
  }
  return out;
}

/** Everything the report page draws, per evaluated part. */
export function chartsOf(report) {
  return evaluations(report).map(({ part, evaluation: ev }) => ({
    part,
    metrics: scalars(ev.metrics),
    confusion: confusion(ev),
    roc: roc(ev),
    auc: ev.roc?.auc ?? ev.metrics?.roc_auc ?? null,
    pr: pr(ev),
    calibration: calibration(ev),
    perClass: perClass(ev),
    coefficients: coefficients(ev, part === 'scoring' ? null : report),
    regression: regression(ev),
  }));
}
