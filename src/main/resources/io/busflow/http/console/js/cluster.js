// The cluster: its nodes, and per actor its instances, mailbox depth, throughput, failures by code and
// restarts, polled from GET /api/v1/actors every two seconds; a chart of the cluster's throughput.
import { get } from './api.js';
import { el, table, num, pager, every } from './ui.js';
import { lineChart } from './charts.js';

const PAGE = 25;
const HISTORY = 90;

export function mount(root) {
  let offset = 0;
  let filter = '';
  let last = null;
  const history = { t: [], rps: [] };
  const nodes = el('section', { class: 'card', id: 'nodes' });
  const chart = el('section', { class: 'card' }, el('h2', {}, 'Requests processed per second, whole cluster'));
  const chartBox = el('div', { class: 'chart wide' });
  chart.append(chartBox);
  const search = el('input', { type: 'search', placeholder: 'filter actors by name, address or node',
    oninput: (e) => { filter = e.target.value.trim().toLowerCase(); offset = 0; render(); } });
  const actors = el('div', { id: 'actors' });
  root.append(el('h1', {}, 'Cluster'), nodes, el('section', { class: 'card' }, el('h2', {}, 'Actors'), search, actors), chart);
  let plot = null;

  function render() {
    if (!last) return;
    nodes.replaceChildren(el('h2', {}, `Nodes (${last.nodes.length})`), table([
      { title: 'Node', cell: (n) => n.node ?? '–' },
      { title: 'Cluster id', cell: (n) => el('code', {}, n.nodeId ?? 'not clustered') },
      { title: 'Actors', class: 'n', cell: (n) => n.actors ?? '–' },
      { title: 'State', cell: (n) => (n.error ? el('span', { class: 'error' }, `${n.error.code}: ${n.error.message}`) : n.note ?? 'up') },
    ], last.nodes.map((n) => ({ ...n, key: n.nodeId ?? n.node })), { class: 'nodes' }));
    const shown = last.actors.filter((a) => !filter
      || `${a.name} ${a.address} ${a.node}`.toLowerCase().includes(filter));
    offset = Math.min(offset, Math.max(0, (Math.ceil(shown.length / PAGE) - 1) * PAGE));
    actors.replaceChildren(table([
      { title: 'Actor', cell: (a) => a.name },
      { title: 'Address', cell: (a) => el('code', {}, a.address) },
      { title: 'Node', cell: (a) => a.node },
      { title: 'Instances', class: 'n', cell: (a) => a.instances },
      { title: 'Mailbox', class: 'n', cell: (a) => num(a.mailboxDepth) },
      { title: 'Req/s', class: 'n', cell: (a) => num(a.throughputPerSecond, 1) },
      { title: 'Processed', class: 'n', cell: (a) => num(a.counters?.processed) },
      { title: 'Mean ms', class: 'n', cell: (a) => num(a.counters?.meanProcessingMs, 2) },
      { title: 'Failures by code', cell: (a) => failures(a.counters?.failed) },
      { title: 'Restarts', class: 'n', cell: (a) => el('span', { class: a.restarts ? 'warn' : '' }, num(a.restarts ?? 0)) },
    ], shown.slice(offset, offset + PAGE).map((a) => ({ ...a, key: `${a.name}@${a.address}@${a.nodeId ?? a.node}` })),
    { class: 'actors' }), pager(offset, PAGE, shown.length, (o) => { offset = o; render(); }));
  }

  function record() {
    history.t.push(Date.now() / 1000);
    history.rps.push(last.actors.reduce((s, a) => s + (a.throughputPerSecond ?? 0), 0));
    if (history.t.length > HISTORY) { history.t.shift(); history.rps.shift(); }
    if (!plot) plot = lineChart(chartBox, { id: 'cluster-throughput', x: 'time', time: true, series: [{ label: 'req/s' }] });
    plot.setData([history.t, history.rps]);
  }

  return every(2000, async () => {
    last = await get('/api/v1/actors');
    render();
    record();
  });
}

function failures(failed) {
  const entries = Object.entries(failed ?? {});
  if (entries.length === 0) return el('span', { class: 'muted' }, 'none');
  return entries.map(([code, n]) => el('span', { class: 'chip bad' }, `${code} ${num(n)}`));
}
