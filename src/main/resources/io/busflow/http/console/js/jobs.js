// Jobs: start one from a pipeline file, the running ones with live progress (SSE), the last ones with their
// state, a page at a time (GET /api/v1/jobs?limit=&offset=).
import { get, post, del, events } from './api.js';
import { el, table, num, duration, progressBar, badge, pager, every, errorBox, time } from './ui.js';

const PAGE = 20;

export function mount(root) {
  let offset = 0;
  const streams = new Map(); // job id -> {close, progress}
  const form = el('form', { class: 'card start', id: 'start-form' });
  const list = el('section', { class: 'card', id: 'jobs' });
  root.append(el('h1', {}, 'Jobs'), form, list);
  startForm(form, (job) => { offset = 0; location.hash = `#/jobs/${job}`; });

  function follow(job) {
    if (streams.has(job)) return;
    const entry = { progress: null, close: null };
    streams.set(job, entry);
    entry.close = events(`/api/v1/jobs/${job}/events`, (type, data) => {
      if (type === 'progress') { entry.progress = data; paint(job); }
      if (type === 'report') refresh();
    }, () => streams.delete(job));
  }

  function paint(job) {
    const p = streams.get(job)?.progress;
    const cell = list.querySelector(`tr[data-key="${CSS.escape(job)}"] .live`);
    if (p && cell) cell.replaceChildren(liveCell(p));
  }

  let page = null;
  async function refresh() {
    page = await get(`/api/v1/jobs?limit=${PAGE}&offset=${offset}`);
    render();
  }

  function render() {
    const running = page.jobs.filter((j) => j.state === 'running');
    list.replaceChildren(el('h2', {}, `Jobs (${page.total})`), table([
      { title: 'Job', cell: (j) => el('a', { href: `#/jobs/${j.job}` }, j.job) },
      { title: 'Pipeline', cell: (j) => j.pipeline },
      { title: 'Mode', cell: (j) => j.mode },
      { title: 'State', cell: (j) => badge(j.state) },
      { title: 'Progress', class: 'live', cell: (j) => liveCell(streams.get(j.job)?.progress ?? j) },
      { title: 'Started', cell: (j) => time(j.startedAt) },
      { title: 'Ended', cell: (j) => time(j.endedAt) },
      { title: '', cell: (j) => (j.state === 'running'
        ? el('button', { type: 'button', class: 'danger', onclick: () => del(`/api/v1/jobs/${j.job}`).then(refresh) }, 'Cancel')
        : j.error ? el('span', { class: 'error', title: j.error.message }, j.error.code) : '') },
    ], page.jobs.map((j) => ({ ...j, key: j.job })), { class: 'jobs' }),
    pager(offset, PAGE, page.total, (o) => { offset = o; refresh(); }));
    running.forEach((j) => follow(j.job));
    for (const [job, s] of streams) if (!running.some((j) => j.job === job)) { s.close(); streams.delete(job); }
  }

  const stop = every(3000, refresh);
  return () => { stop(); streams.forEach((s) => s.close()); };
}

function liveCell(p) {
  if (p.state !== 'running') return el('span', { class: 'muted' }, `${num(p.rowsDone)} rows · ${num(p.rowsPerSecond)} rows/s`);
  return el('div', {}, progressBar(p.rowsDone, p.rowsTotal),
    el('small', {}, `${num(p.rowsDone)} / ~${num(p.rowsTotal)} · ${num(p.rowsPerSecond)} rows/s · ETA ${duration(p.etaSeconds)}`));
}

async function startForm(form, started) {
  const select = el('select', { id: 'pipeline', required: true });
  const mode = el('select', { id: 'mode' }, el('option', { value: '' }, 'as in the file'),
    ['train', 'score', 'train-then-score'].map((m) => el('option', { value: m }, m)));
  const message = el('div', { class: 'message' });
  form.append(el('h2', {}, 'Start a job'), el('div', { class: 'row' },
    el('label', {}, 'Pipeline ', select), el('label', {}, 'Mode ', mode),
    el('button', { type: 'submit', id: 'start' }, 'Start')), message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    message.replaceChildren();
    try {
      const body = { pipeline: select.value };
      if (mode.value) body.mode = mode.value;
      const r = await post('/api/v1/jobs', body);
      started(r.job);
    } catch (err) {
      message.replaceChildren(errorBox(err));
    }
  });
  try {
    const { pipelines } = await get('/api/v1/pipelines');
    select.replaceChildren(...pipelines.filter((p) => !p.error)
      .map((p) => el('option', { value: p.name }, `${p.name} (${p.mode}${p.model ? `, ${p.model}` : ''})`)));
  } catch (err) {
    message.replaceChildren(errorBox(err));
  }
}
