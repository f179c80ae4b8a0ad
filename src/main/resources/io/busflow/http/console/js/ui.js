// Small DOM helpers shared by the pages.

/** el('div', {class: 'x', onclick: fn}, child, 'text', …): an element; null/false children are skipped. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** A table: columns [{title, cell: row => content, class?}], one row per item. */
export function table(columns, rows, attrs = {}) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class }, c.title)))),
    el('tbody', {}, rows.map((r) => el('tr', { dataset: r.key ? { key: r.key } : {} },
      columns.map((c) => el('td', { class: c.class }, c.cell(r)))))));
}

export const num = (v, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? '–'
  : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export const metric = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? num(v) : v.toFixed(4)) : String(v));

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '–');

/** Prev/next buttons over `total` items, `size` a page; onPage(offset) when one is clicked. */
export function pager(offset, size, total, onPage) {
  const last = Math.max(0, Math.ceil(total / size) - 1);
  const page = Math.floor(offset / size);
  return el('div', { class: 'pager' },
    el('button', { type: 'button', disabled: page <= 0, onclick: () => onPage(Math.max(0, offset - size)) }, '‹ Newer'),
    el('span', { class: 'muted' }, total === 0 ? 'none' : `${offset + 1}–${Math.min(total, offset + size)} of ${total}`),
    el('button', { type: 'button', disabled: page >= last, onclick: () => onPage(offset + size) }, 'Older ›'));
}

export function progressBar(done, total) {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const bar = el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': Math.round(pct) }, el('div', { class: 'fill' }));
  bar.firstChild.style.width = `${pct.toFixed(1)}%`;
  return bar;
}

export const badge = (state) => el('span', { class: `badge ${state}` }, state);

export function errorBox(err) {
  return el('p', { class: 'error', role: 'alert' }, err.code ? `${err.code}: ${err.message}` : String(err.message ?? err));
}

/** The header's status line: what the page last did, or what went wrong. */
export function setStatus(text, bad = false) {
  const s = document.getElementById('status');
  s.textContent = text;
  s.classList.toggle('bad', bad);
}

/** Calls fn now and every `ms` until the returned stop function is called; fn's failures go to the status. */
export function every(ms, fn) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    try {
      await fn();
      setStatus(`updated ${new Date().toLocaleTimeString()}`);
    } catch (err) {
      setStatus(`${err.code ?? 'ERROR'}: ${err.message}`, true);
    }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}
