// The operator console: plain DOM code over the service's own API, with the token the operator
// signs in with (kept in this tab's sessionStorage). Every text from the API goes in through
// textContent, never as markup.
'use strict';

const TOKEN_KEY = 'dns-handling.token';
const STATUSES = ['pending', 'verified', 'certificate_pending', 'active', 'failed'];
const CERTIFICATE_STATES = ['valid', 'renewing', 'expiring', 'expired', 'revoked', 'none'];

let token = sessionStorage.getItem(TOKEN_KEY);

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the API; the body as JSON, null for 204 and 404 when {@code allow404}. */
async function api(method, path, { allow404 = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
  const response = await fetch(path, { method, headers, credentials: 'omit', cache: 'no-store' });
  let body = null;
  if (response.status !== 204) {
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
  }
  if (response.status === 404 && allow404) {
    return null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.error ? body.error : 'HTTP ' + response.status);
  }
  return body;
}

/** An element with attributes and children (strings become text nodes). */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      node.addEventListener(key.substring(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function say(text, isError) {
  const message = document.getElementById('message');
  message.textContent = text || '';
  message.classList.toggle('error', Boolean(isError));
}

function stateBadge(state) {
  return el('span', { class: 'state state-' + state }, state.replace('_', ' '));
}

/** A bar {@code fraction} of its cell wide; set through the style object, which the console's CSP allows (a style attribute it does not). */
function bar(fraction) {
  const node = el('div', { class: 'bar' });
  node.style.width = (100 * fraction).toFixed(1) + '%';
  return node;
}

function when(instant) {
  return instant ? instant.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

function domainLink(id, name) {
  return el('a', { href: '#/domains/' + encodeURIComponent(id) }, name);
}

function show(title, ...content) {
  const view = document.getElementById('view');
  view.replaceChildren(el('h1', { id: 'view-title' }, title), ...content.filter(part => part !== null && part !== undefined));
  document.title = title + ' · dns-handling console';
  document.getElementById('main').focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

/** What a failed call means to the operator. */
function explain(error, action) {
  if (error.status === 403) {
    return 'This token may not ' + action + ': ' + error.message + '.';
  }
  return 'Could not ' + action + ': ' + error.message;
}

// ---- Sign in and out ------------------------------------------------------------------------

function showLogin(reason) {
  document.getElementById('login').hidden = false;
  document.getElementById('view').replaceChildren();
  document.getElementById('sign-out').hidden = true;
  say(reason || '', Boolean(reason));
  document.getElementById('token').focus();
}

function signOut(reason) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin(reason);
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const field = document.getElementById('token');
  token = field.value.trim();
  try {
    await api('GET', '/fleet');
  } catch (e) {
    token = null;
    say(e.status === 401 ? 'The token was refused: check it and try again.' : explain(e, 'sign in'), true);
    field.select();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  field.value = '';
  document.getElementById('login').hidden = true;
  document.getElementById('sign-out').hidden = false;
  say('Signed in.');
  route();
});

document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));

// ---- Overview -------------------------------------------------------------------------------

async function overview() {
  const fleet = await api('GET', '/fleet');
  const counts = el('ul', { class: 'counts' }, STATUSES.map(status =>
    el('li', {}, el('a', { href: '#/domains?status=' + status }, el('span', { class: 'n' }, fleet.by_status[status]), status.replace('_', ' ')))));

  const attention = fleet.attention.length === 0
    ? el('p', {}, 'Nothing needs attention.')
    : el('table', { id: 'attention' },
      el('caption', {}, fleet.attention_total > fleet.attention.length
        ? 'The ' + fleet.attention.length + ' most urgent of ' + fleet.attention_total
        : 'Most urgent first'),
      el('thead', {}, el('tr', {}, ['Certificate', 'Domain', 'Status', 'Problem', 'Since'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, fleet.attention.map(item => el('tr', {},
        el('td', {}, stateBadge(item.certificate_state)),
        el('th', { scope: 'row' }, domainLink(item.domain_id, item.domain_name)),
        el('td', {}, item.status.replace('_', ' ')),
        el('td', {}, item.problem),
        el('td', { class: 'when' }, when(item.since))))));

  const most = Math.max(1, ...fleet.expiry_weeks.map(w => w.certificates));
  const timeline = el('table', { id: 'expiry' },
    el('caption', {}, 'Certificates of active domains expiring in each week (weeks start on Monday, UTC)'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Week of'), el('th', { scope: 'col' }, 'Certificates'),
      el('th', { scope: 'col' }, el('span', { class: 'hint' }, 'Chart')))),
    el('tbody', {}, fleet.expiry_weeks.map(week => el('tr', {},
      el('th', { scope: 'row' }, week.start),
      el('td', {}, week.certificates),
      el('td', { class: 'chart', 'aria-hidden': 'true' }, bar(week.certificates / most))))));

  show('Overview',
    el('p', {}, fleet.domains + ' domains, read at ' + when(fleet.checked_at) + '.'),
    el('h2', {}, 'Domains by status'), counts,
    el('h2', {}, 'Needs attention (' + fleet.attention_total + ')'), attention,
    el('h2', {}, 'Expiry timeline'), timeline);
}

// ---- Domain list ----------------------------------------------------------------------------

async function domainList(params) {
  const query = new URLSearchParams();
  for (const key of ['status', 'certificate_state', 'name', 'cursor']) {
    if (params.get(key)) {
      query.set(key, params.get(key));
    }
  }
  query.set('limit', '50');
  const page = await api('GET', '/domains?' + query);

  const select = (name, label, values) => el('div', {},
    el('label', { for: 'filter-' + name }, label),
    el('select', { id: 'filter-' + name, name }, el('option', { value: '' }, 'any'),
      values.map(v => el('option', { value: v, selected: params.get(name) === v }, v.replace('_', ' ')))));
  const filters = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter domains', onsubmit: (event) => {
    event.preventDefault();
    const chosen = new URLSearchParams();
    for (const [key, value] of new FormData(event.target)) {
      if (value.trim()) {
        chosen.set(key, value.trim());
      }
    }
    location.hash = '#/domains' + (chosen.toString() ? '?' + chosen : '');
  } },
  select('status', 'Status', STATUSES),
  select('certificate_state', 'Certificate', CERTIFICATE_STATES),
  el('div', {}, el('label', { for: 'filter-name' }, 'Name contains'),
    el('input', { id: 'filter-name', name: 'name', type: 'search', value: params.get('name') || '', maxlength: '253' })),
  el('button', { type: 'submit' }, 'Filter'));

  const table = page.domains.length === 0 ? el('p', {}, 'No domain matches.') : el('table', { id: 'domains' },
    el('thead', {}, el('tr', {}, ['Certificate', 'Domain', 'Status', 'Created'].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, page.domains.map(d => el('tr', {},
      el('td', {}, stateBadge(d.certificate_state)),
      el('th', { scope: 'row' }, domainLink(d.id, d.domain_name)),
      el('td', {}, d.status.replace('_', ' ')),
      el('td', {}, when(d.created_at))))));

  let next = null;
  if (page.next_cursor) {
    const nextParams = new URLSearchParams(query);
    nextParams.delete('limit');
    nextParams.set('cursor', page.next_cursor);
    next = el('p', {}, el('a', { href: '#/domains?' + nextParams }, 'Next page'));
  }
  show('Domains', filters, table, next);
}

// ---- One domain -----------------------------------------------------------------------------

async function domainPage(id) {
  const path = '/domains/' + encodeURIComponent(id);
  const domain = await api('GET', path);
  const act = (label, method, suffix, done, extra) => el('button', Object.assign({ type: 'button', onclick: async () => {
    if (method === 'DELETE' && !confirm('Delete ' + domain.domain_name + '? Its records leave the DNS server at once.')) {
      return;
    }
    try {
      await api(method, path + suffix);
      say(done);
      if (method === 'DELETE') {
        location.hash = '#/domains';
      } else {
        await domainPage(id);
      }
    } catch (e) {
      say(explain(e, label.toLowerCase()), true);
    }
  } }, extra || {}), label);

  const facts = el('dl', { class: 'facts' },
    el('dt', {}, 'Certificate'), el('dd', { id: 'certificate-state' }, stateBadge(domain.certificate_state)),
    el('dt', {}, 'Status'), el('dd', { id: 'domain-status' }, domain.status.replace('_', ' ')),
    el('dt', {}, 'Registered'), el('dd', {}, when(domain.created_at)),
    domain.verified_at ? [el('dt', {}, 'Verified'), el('dd', {}, when(domain.verified_at))] : null,
    domain.failure_reason ? [el('dt', {}, 'Failure'), el('dd', {}, domain.failure_reason)] : null,
    domain.renewal_error ? [el('dt', {}, 'Renewal error'), el('dd', {}, domain.renewal_error)] : null);

  const actions = el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' },
    act('Verify', 'POST', '/verify', 'Verified.'),
    act('Issue certificate', 'POST', '/issue-certificate', 'Certificate ordered: it arrives by itself.'),
    act('Delete', 'DELETE', '', 'Deleted ' + domain.domain_name + '.', { class: 'danger' }));

  const diagnosis = el('section', { 'aria-labelledby': 'diagnosis-title', 'aria-busy': 'true' },
    el('h2', { id: 'diagnosis-title' }, 'Diagnosis'), el('p', { class: 'hint' }, 'Checking…'));
  const certificate = el('section', { 'aria-labelledby': 'certificate-title' }, el('h2', { id: 'certificate-title' }, 'Certificate'));
  const history = el('section', { 'aria-labelledby': 'history-title' }, el('h2', { id: 'history-title' }, 'History'));
  show(domain.domain_name, facts, actions, diagnosis, certificate, history);

  const [report, current, events] = await Promise.allSettled([
    api('GET', path + '/diagnosis'), api('GET', path + '/certificate', { allow404: true }), api('GET', path + '/events?limit=20')]);

  diagnosis.setAttribute('aria-busy', 'false');
  if (report.status === 'fulfilled') {
    const r = report.value;
    diagnosis.replaceChildren(diagnosis.firstChild,
      el('p', {}, (r.healthy ? 'Every check passed' : 'Some checks need attention') + ' (checked at ' + when(r.checked_at) + ').'),
      el('ul', { class: 'checks', id: 'checks' }, r.checks.map(c => el('li', { class: c.result },
        stateBadge(c.result), ' ', el('strong', {}, c.check), el('p', {}, c.message)))),
      el('button', { type: 'button', onclick: () => domainPage(id) }, 'Check again'));
  } else {
    diagnosis.replaceChildren(diagnosis.firstChild, el('p', {}, explain(report.reason, 'diagnose')));
  }

  if (current.status === 'fulfilled' && current.value) {
    const c = current.value;
    certificate.append(el('dl', { class: 'facts', id: 'certificate-facts' },
      el('dt', {}, 'Names'), el('dd', {}, (c.names || [domain.domain_name]).join(', ')),
      el('dt', {}, 'Issued'), el('dd', {}, when(c.issued_at)),
      el('dt', {}, 'Expires'), el('dd', {}, when(c.expires_at))));
  } else {
    certificate.append(el('p', {}, current.status === 'fulfilled' ? 'No certificate.' : explain(current.reason, 'read the certificate')));
  }

  if (events.status === 'fulfilled') {
    history.append(events.value.events.length === 0 ? el('p', {}, 'No events yet.') : el('table', { id: 'events' },
      el('thead', {}, el('tr', {}, ['At', 'Event', 'Delivered'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, events.value.events.map(e => el('tr', {},
        el('td', {}, when(e.at)), el('td', {}, e.type), el('td', {}, e.delivered ? 'yes' : 'not yet'))))));
  } else {
    history.append(el('p', {}, explain(events.reason, 'read the history')));
  }
}

// ---- Routing --------------------------------------------------------------------------------

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  try {
    if (path.startsWith('/domains/')) {
      await domainPage(decodeURIComponent(path.substring('/domains/'.length)));
    } else if (path === '/domains') {
      await domainList(new URLSearchParams(search || ''));
    } else {
      await overview();
    }
  } catch (e) {
    if (e.status === 401) {
      signOut(token ? 'The token was refused: sign in again.' : '');
      return;
    }
    say(explain(e, 'show this page'), true);
  }
}

window.addEventListener('hashchange', () => {
  if (document.getElementById('login').hidden) {
    route();
  }
});

// A service with authentication turned off answers without a token: no sign-in then.
(async () => {
  try {
    await api('GET', '/fleet');
  } catch (e) {
    if (e.status === 401) {
      signOut(token ? 'The token was refused: sign in again.' : '');
      return;
    }
  }
  document.getElementById('sign-out').hidden = !token;
  route();
})();
