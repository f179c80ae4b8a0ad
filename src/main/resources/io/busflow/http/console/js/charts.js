// Drawing: line and scatter charts with uPlot (vendored, global `uPlot`), a confusion-matrix heat map and
// horizontal bars in plain DOM. Every chart's data is kept in window.busflow.charts[id], so tests and users
// can read back exactly what is drawn.
import { el, num } from './ui.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];
window.busflow = window.busflow ?? { charts: {} };

function remember(id, entry) {
  window.busflow.charts[id] = entry;
}

/**
 * A chart in `box`: {id, x: label of x, y: label of y, time: x is epoch seconds, square: both axes 0..1,
 * series: [{label, points: true (scatter, no line), dash: true}]}. Returns {setData(data)}, data being
 * [xs, ys1, ys2, …] with xs ascending.
 */
export function lineChart(box, spec) {
  const width = () => Math.max(240, box.clientWidth || 320);
  const height = () => (spec.square ? Math.min(360, width()) : 220);
  const opts = {
    width: width(),
    height: height(),
    scales: {
      x: spec.time ? { time: true } : spec.square ? { time: false, range: [0, 1] } : { time: false },
      y: spec.square ? { range: [0, 1] } : {},
    },
    axes: [{ label: spec.x ?? '' }, { label: spec.y ?? '' }],
    legend: { show: spec.series.length > 1 },
    cursor: { drag: { x: false, y: false } },
    series: [{ label: spec.x ?? 'x' }, ...spec.series.map((s, i) => ({
      label: s.label,
      stroke: s.color ?? COLORS[i % COLORS.length],
      width: s.points ? 0 : 2,
      dash: s.dash ? [6, 4] : undefined,
      paths: s.points ? () => null : undefined,
      points: s.points ? { show: true, size: 5, fill: COLORS[i % COLORS.length] } : { show: false },
    }))],
  };
  const empty = [[], ...spec.series.map(() => [])];
  const plot = new uPlot(opts, empty, box);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: height() }));
  resize.observe(box);
  return {
    setData(data, extra = {}) {
      plot.setData(data);
      remember(spec.id, { series: spec.series.map((s) => s.label), data, ...extra });
    },
  };
}

/** The confusion matrix as a heat map (rows: actual, columns: predicted); each cell holds its count. */
export function heatMap(box, { id, labels, matrix }) {
  const max = Math.max(1, ...matrix.flat());
  const cell = (v, r, c) => {
    const td = el('td', { class: r === c ? 'diag' : '', dataset: { row: r, col: c, count: v } }, num(v));
    const alpha = v / max;
    td.style.background = `rgba(37, 99, 235, ${(0.08 + 0.85 * alpha).toFixed(3)})`;
    td.style.color = alpha > 0.5 ? '#fff' : 'inherit';
    return td;
  };
  const grid = el('table', { class: 'heatmap', id },
    el('thead', {}, el('tr', {}, el('th', { class: 'corner' }, 'actual ↓ / predicted →'),
      labels.map((l) => el('th', {}, String(l))))),
    el('tbody', {}, matrix.map((row, r) => el('tr', {}, el('th', {}, String(labels[r])),
      row.map((v, c) => cell(v, r, c))))));
  box.append(grid);
  remember(id, { labels, matrix });
  return grid;
}

/** Horizontal bars for signed values ({label, value}), largest magnitude first as given. */
export function bars(box, { id, items }) {
  const max = Math.max(1e-12, ...items.map((i) => Math.abs(i.value)));
  const list = el('div', { class: 'bars', id }, items.map((i) => {
    const bar = el('span', { class: `bar ${i.value < 0 ? 'neg' : 'pos'}` });
    bar.style.width = `${((50 * Math.abs(i.value)) / max).toFixed(2)}%`;
    if (i.value < 0) bar.style.right = '50%'; else bar.style.left = '50%';
    return el('div', { class: 'bar-row', dataset: { value: i.value } },
      el('span', { class: 'bar-label', title: i.label }, i.label),
      el('span', { class: 'bar-track' }, bar),
      el('span', { class: 'bar-value' }, i.value.toFixed(4)));
  }));
  box.append(list);
  remember(id, { items });
  return list;
}
