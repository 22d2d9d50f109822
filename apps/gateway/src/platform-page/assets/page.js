// The platform page: plain browser JavaScript, served by the gateway as is (no build step).
// Everything is drawn with textContent and DOM nodes, never innerHTML, so no value from the API
// can become markup; the CSP forbids inline scripts and styles anyway.

const REFRESH_MS = 5000;
const SVG = 'http://www.w3.org/2000/svg';

/** The access token and who it is for; in this tab's memory only, never in storage. */
let session = null;

const $ = (id) => document.getElementById(id);

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

async function getJson(path, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(path, { headers });
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

async function loadLinks() {
  const { body } = await getJson('/platform/links');
  $('links').replaceChildren(
    ...(body ?? []).map((link) =>
      element('a', {
        href: link.url,
        target: '_blank',
        rel: 'noopener noreferrer',
        text: link.name,
      }),
    ),
  );
}

async function refreshHealth() {
  const overall = $('overall');
  try {
    const { body } = await getJson('/platform/health');
    overall.dataset.state = body.status;
    overall.textContent = body.status === 'ok' ? 'all components up' : 'degraded';
    $('health-checked').textContent = `Checked ${new Date(body.checkedAt).toLocaleTimeString()}.`;
    $('components').replaceChildren(
      ...body.components.map((component) =>
        element('li', { 'data-component': component.name, 'data-state': component.state }, [
          element('span', { class: 'name', text: component.name }),
          element('span', { class: 'state', text: component.state }),
          ...(component.detail
            ? [element('div', { class: 'detail', text: component.detail })]
            : []),
        ]),
      ),
    );
  } catch {
    overall.dataset.state = 'down';
    overall.textContent = 'gateway not answering';
  }
}

function sparkline(points) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 30');
  svg.setAttribute('preserveAspectRatio', 'none');
  const values = points.map((p) => p.value).filter((v) => v !== null);
  const max = Math.max(1, ...values);
  const step = points.length > 1 ? 100 / (points.length - 1) : 100;
  // A gap (null) ends one line and starts another, so a missing sample is not drawn as zero.
  let segment = [];
  const flush = () => {
    if (segment.length === 0) return;
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', segment.join(' '));
    svg.append(line);
    segment = [];
  };
  points.forEach((point, index) => {
    if (point.value === null) return flush();
    const y = 29 - (point.value / max) * 28;
    segment.push(`${(index * step).toFixed(2)},${y.toFixed(2)}`);
  });
  flush();
  return svg;
}

async function refreshThroughput() {
  const { body } = await getJson('/platform/throughput');
  if (!body) return;
  $('throughput-hint').textContent =
    `Sampled from the apps' /metrics every ${body.sampleIntervalMs / 1000} s by this gateway.`;
  $('sparklines').replaceChildren(
    ...body.series.map((series) => {
      const last = [...series.points].reverse().find((p) => p.value !== null);
      return element('div', { class: 'sparkline', 'data-series': series.id }, [
        element('div', { class: 'hint', text: series.label }),
        element('div', { class: 'value', text: last ? String(last.value) : '–' }),
        sparkline(series.points),
      ]);
    }),
  );
}

async function refreshCommands() {
  if (!session) return;
  const { status, body } = await getJson('/platform/commands?limit=20', session.token);
  if (status === 401) return signOut('Your session expired: sign in again.');
  if (status !== 200) return;
  $('commands-scope').textContent =
    body.scope === 'all-tenants' ? '(every tenant: admin scope)' : `(tenant ${session.tenantId})`;
  $('no-commands').hidden = body.commands.length > 0;
  $('commands')
    .querySelector('tbody')
    .replaceChildren(
      ...body.commands.map((command) =>
        element('tr', { 'data-correlation-id': command.correlationId }, [
          element('td', { text: new Date(command.acceptedAt).toLocaleTimeString() }),
          element('td', { class: 'tenant', text: command.tenantId ?? '–' }),
          element('td', { text: command.command ?? '–' }),
          element('td', {
            class: 'status',
            'data-status': command.status,
            text: command.error ? `${command.status} (${command.error.code})` : command.status,
          }),
          element('td', {}, [element('code', { text: command.correlationId })]),
        ]),
      ),
    );
}

async function signIn(event) {
  event.preventDefault();
  const error = $('sign-in-error');
  error.hidden = true;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: $('client-id').value.trim(),
    client_secret: $('client-secret').value,
  });
  const response = await fetch('/oauth/token', { method: 'POST', body: form });
  const token = await response.json().catch(() => ({}));
  if (response.status !== 200 || !token.access_token) {
    error.textContent = `Sign-in refused: ${token.error_description ?? token.error ?? response.status}`;
    error.hidden = false;
    return;
  }
  const who = await getJson('/auth/whoami', token.access_token);
  session = { token: token.access_token, ...who.body };
  $('client-secret').value = '';
  $('who').textContent = `${session.clientId} (${session.tenantId})`;
  $('sign-in').hidden = true;
  $('signed-in').hidden = false;
  await refreshCommands();
}

function signOut(message) {
  session = null;
  $('signed-in').hidden = true;
  $('sign-in').hidden = false;
  $('commands').querySelector('tbody').replaceChildren();
  const error = $('sign-in-error');
  error.hidden = typeof message !== 'string';
  if (typeof message === 'string') error.textContent = message;
}

function refreshAll() {
  return Promise.allSettled([refreshHealth(), refreshThroughput(), refreshCommands()]);
}

$('sign-in').addEventListener('submit', (event) => void signIn(event));
$('sign-out').addEventListener('click', () => signOut());
void loadLinks();
void refreshAll();
setInterval(() => void refreshAll(), REFRESH_MS);
