// Boot: make sure the API answers (asking for the key when it needs one, showing nothing before), then route
// #/cluster, #/jobs, #/jobs/{id}, #/deadletters, #/catalog and #/api to their pages.
import { apiKey, get } from './api.js';
import * as cluster from './cluster.js';
import * as jobs from './jobs.js';
import * as report from './report.js';
import * as deadletters from './deadletters.js';
import * as catalog from './catalog.js';
import * as openapi from './openapi.js';

const app = document.getElementById('app');
const nav = document.getElementById('nav');
const form = document.getElementById('key-form');
const keyError = document.getElementById('key-error');
let unmount = () => {};

const routes = [
  [/^#\/cluster$/, cluster],
  [/^#\/jobs$/, jobs],
  [/^#\/jobs\/([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/, report],
  [/^#\/deadletters$/, deadletters],
  [/^#\/catalog$/, catalog],
  [/^#\/api$/, openapi],
];

function route() {
  const hash = location.hash || '#/cluster';
  const [, page, match] = routes.map(([re, p]) => [re, p, hash.match(re)]).find(([, , m]) => m) ?? [];
  unmount();
  app.replaceChildren();
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  if (!page) {
    location.hash = '#/cluster';
    return;
  }
  unmount = page.mount(app, match.slice(1)) ?? (() => {});
}

function showApp() {
  form.hidden = true;
  app.hidden = false;
  nav.hidden = false;
  window.addEventListener('hashchange', route);
  route();
}

function askForKey(message) {
  app.hidden = true;
  nav.hidden = true;
  app.replaceChildren();
  form.hidden = false;
  keyError.textContent = message ?? '';
  document.getElementById('key-input').focus();
}

async function check() {
  try {
    await get('/api/v1/actors');
    showApp();
  } catch (err) {
    if (err.status === 401 || err.status === 403) {
      apiKey.clear();
      askForKey(apiKey.get() === null && err.status === 401 && !form.dataset.tried ? '' : err.message);
    } else {
      showApp(); // the pages show their own errors
    }
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  form.dataset.tried = 'yes';
  apiKey.set(document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  check();
});

check();
