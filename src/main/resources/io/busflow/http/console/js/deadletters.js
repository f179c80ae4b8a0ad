// Dead letters of the whole cluster as they happen (SSE /api/v1/deadletters/events), newest first; the page
// keeps the last 1,000 and shows them a page at a time.
import { events } from './api.js';
import { el, table, pager, errorBox, setStatus } from './ui.js';

const KEEP = 1000;
const PAGE = 50;

export function mount(root) {
  const letters = [];
  let offset = 0;
  let filter = '';
  const list = el('div', { id: 'deadletters' });
  const state = el('p', { class: 'muted' }, 'connecting…');
  root.append(el('h1', {}, 'Dead letters'), el('section', { class: 'card' }, state,
    el('input', { type: 'search', placeholder: 'filter by address, reason or message',
      oninput: (e) => { filter = e.target.value.trim().toLowerCase(); offset = 0; render(); } }), list));

  function render() {
    const shown = letters.filter((l) => !filter || `${l.address} ${l.reason} ${l.message}`.toLowerCase().includes(filter));
    list.replaceChildren(table([
      { title: 'Time', cell: (l) => new Date(l.timestamp).toLocaleTimeString() },
      { title: 'Address', cell: (l) => el('code', {}, l.address) },
      { title: 'Reason', cell: (l) => el('span', { class: 'chip bad' }, l.reason) },
      { title: 'Correlation id', cell: (l) => el('code', {}, l.correlationId ?? '–') },
      { title: 'Message', cell: (l) => l.message },
    ], shown.slice(offset, offset + PAGE)), pager(offset, PAGE, shown.length, (o) => { offset = o; render(); }));
  }

  render();
  const close = events('/api/v1/deadletters/events', (type, letter) => {
    if (type !== 'deadletter') return;
    letters.unshift(letter);
    if (letters.length > KEEP) letters.pop();
    state.textContent = `live · ${letters.length} since this page opened`;
    render();
  }, (err) => { state.replaceChildren(err ? errorBox(err) : 'stream ended'); if (err) setStatus(err.message, true); });
  state.textContent = 'live · waiting for dead letters';
  return close;
}
