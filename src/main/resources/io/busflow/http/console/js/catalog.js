// What the node serves: its pipeline files (GET /api/v1/pipelines) and the fitted models they saved
// (GET /api/v1/models).
import { get } from './api.js';
import { el, table, metric, errorBox, time } from './ui.js';

export function mount(root) {
  const models = el('section', { class: 'card', id: 'models' }, el('h2', {}, 'Models'));
  const pipelines = el('section', { class: 'card', id: 'pipelines' }, el('h2', {}, 'Pipelines'));
  root.append(el('h1', {}, 'Models & pipelines'), models, pipelines);
  get('/api/v1/models').then(({ models: list }) => models.append(list.length === 0
    ? el('p', { class: 'muted' }, 'no saved model yet: run a train job')
    : table([
      { title: 'Model', cell: (m) => m.name },
      { title: 'Type', cell: (m) => m.type },
      { title: 'Version', cell: (m) => el('code', {}, m.version) },
      { title: 'Input features', cell: (m) => el('details', {}, el('summary', {}, `${m.features?.length ?? 0} features`),
        el('p', { class: 'features' }, (m.features ?? []).join(', '))) },
      { title: 'Training metrics', cell: (m) => Object.entries(m.metrics ?? {}).filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => el('span', { class: 'chip' }, `${k} ${metric(v)}`)) },
      { title: 'Saved', cell: (m) => time(m.trainedAt) },
    ], list))).catch((err) => models.append(errorBox(err)));
  get('/api/v1/pipelines').then(({ pipelines: list }) => pipelines.append(table([
    { title: 'Pipeline', cell: (p) => p.name },
    { title: 'Mode', cell: (p) => p.mode ?? '–' },
    { title: 'Model', cell: (p) => p.model ?? '–' },
    { title: 'Source', cell: (p) => el('code', {}, p.source ?? '–') },
    { title: 'File', cell: (p) => (p.error ? el('span', { class: 'error' }, p.error) : el('code', {}, p.file)) },
  ], list))).catch((err) => pipelines.append(errorBox(err)));
}
