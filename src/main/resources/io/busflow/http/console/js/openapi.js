// A small viewer of the OpenAPI document (GET /api/v1/openapi.json): operations grouped by tag, each with
// its parameters, request body example and responses.
import { get } from './api.js';
import { el, errorBox } from './ui.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function mount(root) {
  const box = el('div', { id: 'openapi' });
  root.append(el('h1', {}, 'HTTP API'), box);
  get('/api/v1/openapi.json').then((doc) => render(box, doc)).catch((err) => box.append(errorBox(err)));
}

function render(box, doc) {
  box.append(el('p', {}, `${doc.info?.title ?? ''} ${doc.info?.version ?? ''} · OpenAPI ${doc.openapi} · `,
    el('a', { href: '/api/v1/openapi.json', download: 'openapi.json' }, 'the document')));
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of METHODS) if (item[m]) ops.push({ path, method: m, op: item[m] });
  }
  const tags = [...new Set(ops.map((o) => o.op.tags?.[0] ?? 'other'))];
  for (const tag of tags) {
    const about = doc.tags?.find((t) => t.name === tag)?.description;
    box.append(el('section', { class: 'card' }, el('h2', {}, tag), about && el('p', { class: 'muted' }, about),
      ops.filter((o) => (o.op.tags?.[0] ?? 'other') === tag).map((o) => operation(o, doc))));
  }
}

function operation({ path, method, op }, doc) {
  const params = (op.parameters ?? []).map((p) => resolve(p, doc));
  const example = op.requestBody?.content?.['application/json']?.example;
  return el('details', { class: 'op' },
    el('summary', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), ' ', el('code', {}, path), ' ',
      el('span', { class: 'muted' }, op.summary ?? '')),
    op.description && el('p', {}, op.description),
    params.length > 0 && el('table', {}, el('tbody', {}, params.map((p) => el('tr', {},
      el('td', {}, el('code', {}, p.name)), el('td', {}, p.in), el('td', {}, p.required ? 'required' : 'optional'),
      el('td', {}, p.description ?? p.schema?.type ?? ''))))),
    example && el('div', {}, el('h4', {}, 'Request example'), el('pre', {}, JSON.stringify(example, null, 2))),
    el('h4', {}, 'Responses'),
    el('ul', {}, Object.entries(op.responses ?? {}).map(([status, r]) => el('li', {}, el('strong', {}, status), ' ',
      resolve(r, doc).description ?? ''))));
}

function resolve(node, doc) {
  if (!node?.$ref) return node ?? {};
  return node.$ref.slice(2).split('/').reduce((at, k) => at?.[k], doc) ?? {};
}
