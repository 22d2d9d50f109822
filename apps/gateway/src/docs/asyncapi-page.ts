/**
 * The AsyncAPI document as an HTML page, rendered on the server: no client bundle to build or
 * ship (AsyncAPI's React component would bring its parser and schema parsers to the gateway's
 * dependencies for a read-only view).
 */
import type { AsyncApiDocument } from '@event-hub/contracts';

type Ref = { $ref: string };
interface Channel {
  address: string;
  title?: string;
  description?: string;
  servers: Ref[];
  messages: Record<string, Ref>;
  bindings?: Record<string, unknown>;
}
interface Operation {
  action: 'send' | 'receive';
  channel: Ref;
  tags?: { name: string }[];
}
interface Message {
  title?: string;
  summary?: string;
  headers?: unknown;
  payload: unknown;
  bindings?: unknown;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const lastSegment = (ref: Ref): string => ref.$ref.slice(ref.$ref.lastIndexOf('/') + 1);
const anchor = (kind: string, name: string): string => `${kind}-${name.replace(/[^\w.-]/g, '_')}`;
const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));

function appsOf(operations: Operation[], channel: string, action: 'send' | 'receive'): string {
  return operations
    .filter((o) => o.action === action && lastSegment(o.channel) === channel)
    .flatMap((o) => (o.tags ?? []).map((t) => t.name))
    .join(', ');
}

export function renderAsyncApiPage(document: AsyncApiDocument): string {
  const channels = document.channels as Record<string, Channel>;
  const operations = Object.values(document.operations as Record<string, Operation>);
  const messages = document.components.messages as Record<string, Message>;
  const servers = document.servers as Record<string, { host: string; protocol: string }>;

  const channelRows = Object.entries(channels)
    .map(([name, channel]) => {
      const server = channel.servers.map(lastSegment).join(', ');
      const links = Object.values(channel.messages)
        .map(
          (m) =>
            `<a href="#${anchor('message', lastSegment(m))}">${escapeHtml(lastSegment(m))}</a>`,
        )
        .join('<br>');
      return `<tr id="${anchor('channel', name)}">
  <td><code>${escapeHtml(channel.address)}</code><br><small>${escapeHtml(server)} (${escapeHtml(servers[server]?.protocol ?? '')})</small></td>
  <td>${escapeHtml(channel.description ?? '')}</td>
  <td>${escapeHtml(appsOf(operations, name, 'send'))}</td>
  <td>${escapeHtml(appsOf(operations, name, 'receive'))}</td>
  <td>${links}</td>
  <td>${channel.bindings ? `<details><summary>bindings</summary><pre>${json(channel.bindings)}</pre></details>` : ''}</td>
</tr>`;
    })
    .join('\n');

  const messageSections = Object.entries(messages)
    .map(
      ([name, message]) => `<section id="${anchor('message', name)}">
  <h3>${escapeHtml(name)}</h3>
  <p>${escapeHtml(message.summary ?? message.title ?? '')}</p>
  ${message.headers ? `<details><summary>Headers</summary><pre>${json(message.headers)}</pre></details>` : ''}
  <details open><summary>Payload (JSON Schema)</summary><pre>${json(message.payload)}</pre></details>
  ${message.bindings ? `<details><summary>Bindings</summary><pre>${json(message.bindings)}</pre></details>` : ''}
</section>`,
    )
    .join('\n');

  const schemaSections = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) => `<section id="schema-${escapeHtml(name)}">
  <details><summary><code>#/components/schemas/${escapeHtml(name)}</code></summary><pre>${json(schema)}</pre></details>
</section>`,
    )
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} — AsyncAPI ${escapeHtml(document.asyncapi)}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #d0d7de; padding: .4rem .6rem; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; }
  pre { background: #f6f8fa; padding: .6rem; overflow: auto; max-height: 30rem; }
  nav a { margin-right: 1rem; }
</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<nav><a href="/asyncapi">AsyncAPI JSON</a><a href="/asyncapi.yaml">AsyncAPI YAML</a><a href="/docs">HTTP API (Swagger UI)</a></nav>
<p>${escapeHtml(document.info.description)}</p>
<h2>Servers</h2>
<ul>${Object.entries(servers)
    .map(
      ([name, s]) =>
        `<li><b>${escapeHtml(name)}</b>: ${escapeHtml(s.protocol)} <code>${escapeHtml(s.host)}</code></li>`,
    )
    .join('')}</ul>
<h2>Channels</h2>
<table>
<thead><tr><th>Address</th><th>Description</th><th>Written by</th><th>Read by</th><th>Messages</th><th></th></tr></thead>
<tbody>
${channelRows}
</tbody>
</table>
<h2>Messages</h2>
${messageSections}
<h2>Schemas</h2>
${schemaSections}
</body>
</html>
`;
}
