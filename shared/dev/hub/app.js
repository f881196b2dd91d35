// The hub page: the catalogue, one service's detail (README, guarantee board) and its requests,
// live, each one drawn as its trip through the pipeline. Plain DOM, no framework, no build step.

// The shared pipeline's stages by their long names; a stage a service names itself (csrf, upload…) shows as named.
const STAGE_TITLES = {
  limit: 'rate limit',
  validate: 'validate',
  authn: 'authenticate',
  authz: 'authorize',
  handler: 'handler',
  db: 'database',
  csrf: 'CSRF check',
};
const MAX_ROWS = 200;

const state = { catalogue: [], running: new Map(), selected: null, stream: null, seen: new Set() };

/** h('td', { class: 'x', 'data-testid': 'y' }, child, …): an element; strings become text. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined));
  return element;
}

/** README table text: `code` spans become <code>, the rest stays text. */
// A README table cell as the README shows it: `code`, **strong** and *emphasis* (never as raw HTML).
const emphasis = (text) =>
  text
    .split(/(\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/)
    .map((part) =>
      /^\*\*.+\*\*$/.test(part) ? h('strong', {}, part.slice(2, -2)) : /^\*.+\*$/.test(part) ? h('em', {}, part.slice(1, -1)) : part,
    );
const inline = (text) => text.split('`').flatMap((part, index) => (index % 2 ? [h('code', {}, part)] : emphasis(part)));

async function api(method, path) {
  let response;
  try {
    response = await fetch(path, { method });
  } catch (error) {
    throw new Error(`the hub did not answer (${error.message}): is \`pnpm dev\` still running?`, { cause: error });
  }
  const body = await response.json().catch(() => ({}));
  // The problem+json body goes along: a 409 on Start carries the URL to attach to.
  if (!response.ok) throw Object.assign(new Error(body.detail ?? `${method} ${path} answered ${response.status}`), { body });
  return body;
}

async function load() {
  const [{ items }, running] = await Promise.all([api('GET', '/api/catalogue'), api('GET', '/api/services')]);
  state.catalogue = items;
  state.running = new Map(running.items.map((service) => [service.name, service]));
  renderCatalogue();
  show(location.hash.slice(2) || null);
}

function renderCatalogue() {
  const byLevel = Map.groupBy(state.catalogue, (entry) => entry.level);
  const nav = document.getElementById('catalogue');
  nav.replaceChildren(
    ...[...byLevel].map(([level, entries]) =>
      h(
        'section',
        { class: 'level' },
        h('h2', {}, `Level ${String(level).padStart(2, '0')}: ${entries[0].levelTitle}`),
        h('ul', {}, entries.map(catalogueEntry)),
      ),
    ),
  );
}

function catalogueEntry(entry) {
  const running = state.running.has(entry.name);
  return h(
    'li',
    {
      'data-testid': 'catalogue-entry',
      'data-name': entry.name,
      'data-built': entry.built,
      class: state.selected === entry.name ? 'selected' : null,
    },
    h(
      'a',
      { href: `#/${entry.name}` },
      h('span', { class: entry.built ? 'badge built' : 'badge' }, entry.built ? '✓ built' : 'to come'),
      ' ',
      h('strong', {}, entry.name),
    ),
    running ? h('span', { class: 'badge running' }, 'running') : null,
    h('p', {}, entry.guarantee),
    entry.built ? h('button', { 'data-testid': 'start-button', onclick: () => start(entry.name) }, running ? 'Open' : 'Start') : null,
    h('code', { class: 'command' }, entry.command),
  );
}

function show(name) {
  state.stream?.close();
  state.stream = null;
  state.seen = new Set();
  state.selected = state.catalogue.some((entry) => entry.name === name) ? name : null;
  renderCatalogue();
  const detail = document.getElementById('detail');
  const entry = state.catalogue.find((candidate) => candidate.name === state.selected);
  if (!entry)
    return detail.replaceChildren(h('p', { class: 'hint' }, 'Pick a service on the left. Built ones (✓) can be started from here.'));
  detail.replaceChildren(
    h('h2', {}, entry.name, ' ', h('span', { class: entry.built ? 'badge built' : 'badge' }, entry.built ? '✓ built' : 'to come')),
    h('p', { class: 'guarantee' }, entry.guarantee),
    controls(entry),
    entry.built ? liveView() : null,
    entry.built ? guaranteeBoard(entry) : null,
    entry.built ? exerciseList(entry) : null,
    entry.readmeHtml ? h('details', { class: 'readme', open: true }, h('summary', {}, 'README'), readme(entry.readmeHtml)) : null,
  );
  const service = state.running.get(entry.name);
  if (service) listen(entry.name, service.attached ? service.url : undefined);
  if (entry.built) void loadTests(entry.name, 'GET');
  if (entry.built) void loadExercises(entry.name, 'GET');
}

function readme(html) {
  const article = h('article', { 'data-testid': 'readme' });
  article.innerHTML = html; // our own READMEs, rendered by marked on the hub server
  // Each ```mermaid block is drawn as the diagram it describes (mermaid, served by the hub from node_modules).
  const diagrams = [...article.querySelectorAll('pre > code.language-mermaid')].map((code) => {
    const diagram = h('div', { class: 'mermaid', 'data-testid': 'diagram', 'data-state': 'drawing' }, code.textContent);
    code.parentElement.replaceWith(diagram);
    return diagram;
  });
  if (diagrams.length > 0) void drawDiagrams(diagrams);
  return article;
}

let mermaidLoaded;
async function drawDiagrams(nodes) {
  const fail = (node, error) => {
    // The source stays readable when it cannot be drawn.
    node.dataset.state = 'failed';
    node.title = `not drawn: ${error.message ?? error}`;
  };
  try {
    mermaidLoaded ??= import('/vendor/mermaid/mermaid.esm.min.mjs').then(({ default: mermaid }) => {
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });
      return mermaid;
    });
    const mermaid = await mermaidLoaded;
    // Each diagram on its own: one that does not parse leaves the others drawn.
    for (const node of nodes) {
      try {
        await mermaid.run({ nodes: [node] });
        node.dataset.state = node.querySelector('svg') ? 'drawn' : 'failed';
      } catch (error) {
        fail(node, error);
      }
    }
  } catch (error) {
    for (const node of nodes) fail(node, error);
  }
}

function controls(entry) {
  const service = state.running.get(entry.name);
  const own = entry.port ? `http://127.0.0.1:${entry.port}` : '';
  const attach = h('input', { value: own, placeholder: own, 'aria-label': 'URL of a service started with pnpm dev --filter' });
  const status = !service
    ? entry.built
      ? 'not running'
      : 'not built yet'
    : service.attached
      ? `running at ${service.url} (started in a terminal; watched here)`
      : `running at ${service.url}`;
  return h(
    'div',
    { class: 'controls' },
    entry.built && !service ? h('button', { 'data-testid': 'start-button', onclick: () => start(entry.name) }, 'Start') : null,
    service && !service.attached ? h('button', { 'data-testid': 'stop-button', onclick: () => stop(entry.name) }, 'Stop') : null,
    // The hub cannot stop what a terminal started: it only stops watching it.
    service?.attached ? h('button', { 'data-testid': 'detach-button', onclick: () => detach(entry.name) }, 'Detach') : null,
    h('span', { 'data-testid': 'service-status', class: 'status' }, status),
    service ? h('a', { href: `${service.url}/docs`, target: '_blank' }, 'Swagger UI') : null,
    h(
      'p',
      {},
      'Or in a terminal: ',
      h('code', { 'data-testid': 'command' }, entry.command),
      entry.port ? ` (port ${entry.port}; add --reset to start with its dev data deleted)` : null,
    ),
    entry.built && !service
      ? h(
          'form',
          { class: 'attach', onsubmit: (event) => (event.preventDefault(), attachTo(entry.name, attach.value)) },
          'Started it in a terminal? Watch it: ',
          attach,
          h('button', {}, 'Attach'),
        )
      : null,
  );
}

/** A service started in a terminal, watched here: shown as running, its requests live. */
function attachTo(name, url) {
  state.running.set(name, { name, url: url.replace(/\/+$/, ''), attached: true });
  if (state.selected === name) show(name);
  else location.hash = `#/${name}`;
}

function detach(name) {
  state.running.delete(name);
  if (state.selected === name) show(name);
}

async function start(name) {
  location.hash = `#/${name}`;
  if (state.selected !== name) show(name);
  if (state.running.get(name)?.attached) return;
  const status = document.querySelector('[data-testid="service-status"]');
  if (status) status.textContent = 'starting… (the first start of a database can take a while)';
  try {
    const service = await api('POST', `/api/services/${name}/start`);
    state.running.set(name, service);
  } catch (error) {
    if (!status) return;
    const url = error.body?.attach;
    // Already running from a terminal: nothing to start, but it can be watched from here.
    if (url)
      status.replaceChildren(
        `${error.message} `,
        h('button', { 'data-testid': 'attach-button', onclick: () => attachTo(name, url) }, 'Attach'),
      );
    else status.textContent = `failed: ${error.message}`;
    return;
  }
  if (state.selected === name) show(name);
}

async function stop(name) {
  const status = document.querySelector('[data-testid="service-status"]');
  const button = document.querySelector('[data-testid="stop-button"]');
  if (button) button.disabled = true;
  if (status) status.textContent = 'stopping…';
  try {
    await api('POST', `/api/services/${name}/stop`);
  } catch (error) {
    // Still running as far as we know: say why, and leave Stop to press again.
    if (button) button.disabled = false;
    if (status && state.selected === name) status.textContent = `failed to stop: ${error.message}`;
    return;
  }
  state.running.delete(name);
  if (state.selected === name) show(name);
}

// --- the live pipeline view -------------------------------------------------------------------

function liveView() {
  return h(
    'section',
    { class: 'live' },
    h(
      'h3',
      {},
      'Requests, live ',
      h('small', { 'data-testid': 'live-status', 'data-state': 'off' }, 'off: start the service, or attach to it'),
    ),
    h(
      'form',
      { class: 'filters', 'data-testid': 'request-filters', onsubmit: (event) => event.preventDefault() },
      h(
        'label',
        {},
        'status ',
        h(
          'select',
          { 'data-testid': 'filter-status', onchange: applyFilters },
          ['all', '2xx', '3xx', '4xx', '5xx'].map((kind) => h('option', { value: kind }, kind)),
        ),
      ),
      h('label', {}, 'path ', h('input', { 'data-testid': 'filter-path', placeholder: '/notes', oninput: applyFilters })),
      h('label', {}, h('input', { type: 'checkbox', 'data-testid': 'filter-insight', onchange: applyFilters }), ' has an insight'),
    ),
    h(
      'table',
      { 'data-testid': 'requests' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'method'),
          h('th', {}, 'path'),
          h('th', {}, 'status'),
          h('th', {}, 'duration'),
          h('th', {}, 'decided at'),
          h('th', {}, 'what it did'),
        ),
      ),
      h('tbody', {}),
    ),
  );
}

/** Shows the rows the filters let through (status class, path containing the text, has an insight), and their open trips. */
function applyFilters() {
  const status = document.querySelector('[data-testid="filter-status"]')?.value ?? 'all';
  const path = document.querySelector('[data-testid="filter-path"]')?.value.trim() ?? '';
  const insightOnly = document.querySelector('[data-testid="filter-insight"]')?.checked ?? false;
  for (const row of document.querySelectorAll('[data-testid="request-row"]')) {
    const shown =
      (status === 'all' || row.dataset.status.startsWith(status[0])) &&
      row.dataset.path.includes(path) &&
      (!insightOnly || Number(row.dataset.insights) > 0);
    row.hidden = !shown;
    row.nextElementSibling.hidden = !shown || row.dataset.open !== 'true';
  }
}

/** `3 MongoDB · 2 Redis · 1 mail`, and a flag when the inspector has an insight. */
function didSummary(inspection) {
  if (!inspection) return '';
  const counts = { mongo: inspection.commands.mongo, redis: inspection.commands.redis };
  for (const item of inspection.items) if (item.kind === 'mail') counts.mail = (counts.mail ?? 0) + 1;
  const parts = [
    counts.mongo ? `${counts.mongo} MongoDB` : null,
    counts.redis ? `${counts.redis} Redis` : null,
    counts.mail ? `${counts.mail} mail` : null,
  ].filter(Boolean);
  const flag = inspection.insights.length
    ? h('span', { class: 'badge insight' }, `⚑ ${inspection.insights.length} insight${inspection.insights.length === 1 ? '' : 's'}`)
    : null;
  return [parts.join(' · '), flag ? ' ' : null, flag];
}

function listen(name, url) {
  state.stream?.close();
  const query = url ? `?url=${encodeURIComponent(url)}` : '';
  const stream = new EventSource(`/api/services/${name}/events${query}`);
  const status = (text, live) => {
    const element = document.querySelector('[data-testid="live-status"]');
    element.textContent = text;
    element.dataset.state = live;
  };
  stream.addEventListener('open', () => status(`connected to ${url || state.running.get(name)?.url}`, 'connected'));
  stream.addEventListener('error', () => {
    const closed = stream.readyState === EventSource.CLOSED;
    status(closed ? `disconnected${url ? `: nothing answers at ${url}` : ''}` : 'reconnecting…', 'off');
  });
  stream.addEventListener('request', (message) => addRequest(JSON.parse(message.data)));
  state.stream = stream;
  state.source = { name, query };
}

function addRequest(event) {
  if (state.seen.has(event.id)) return; // a reconnect replays the last events
  state.seen.add(event.id);
  const body = document.querySelector('[data-testid="requests"] tbody');
  const details = h('tr', { class: 'trip', hidden: true }, h('td', { colspan: 6 }, timeline(event)));
  const kind = `s${String(event.status)[0]}xx`;
  const row = h(
    'tr',
    {
      'data-testid': 'request-row',
      'data-id': event.id,
      'data-method': event.method,
      'data-status': event.status,
      'data-path': event.path,
      'data-insights': event.inspection?.insights.length ?? 0,
      class: 'request',
      onclick: () => {
        row.dataset.open = String(row.dataset.open !== 'true');
        details.hidden = row.dataset.open !== 'true';
      },
    },
    h('td', {}, event.method),
    h('td', {}, h('code', {}, event.path)),
    h('td', { class: kind }, String(event.status)),
    h('td', {}, `${event.durationMs.toFixed(1)} ms`),
    h('td', {}, event.failedAt ? `✗ ${event.failedAt}` : ''),
    h('td', {}, didSummary(event.inspection)),
  );
  body.prepend(row, details);
  while (body.rows.length > MAX_ROWS * 2) body.lastElementChild.remove();
  applyFilters();
}

/** The request's trip: one bar per stage, placed by when it started and sized by how long it took. */
function timeline(event) {
  const total = Math.max(event.durationMs, 0.001);
  const percent = (ms) => `${Math.min(100, (ms / total) * 100).toFixed(2)}%`;
  // In the order they ran: a service's own stages (csrf, upload…) fall into place among the shared ones.
  const stages = [...event.stages].sort((a, b) => a.startMs - b.startMs);
  // What the request did (the inspector, in development), under the stage that was running when it happened.
  const items = Map.groupBy(event.inspection?.items ?? [], (item) => item.stage);
  const placed = (stage) => {
    const here = items.get(stage) ?? [];
    items.delete(stage);
    return here.length ? h('ul', { class: 'items', 'data-testid': 'items', 'data-stage': stage }, here.map(inspectedItem)) : null;
  };
  const lanes = stages.flatMap((stage) => {
    const decided = event.failedAt === stage.stage;
    const lane = h(
      'div',
      {
        class: `lane ${stage.outcome}${decided ? ' decided' : ''}`,
        'data-testid': 'stage',
        'data-stage': stage.stage,
        'data-outcome': stage.outcome,
      },
      h('span', { class: 'name' }, STAGE_TITLES[stage.stage] ?? stage.stage),
      h(
        'span',
        { class: 'track' },
        h('span', { class: 'bar', style: `left:${percent(stage.startMs)};width:max(3px,${percent(stage.ms)})` }),
        // A tick where each thing this stage did started.
        (items.get(stage.stage) ?? []).map((item) =>
          h('span', { class: `tick ${item.kind}`, style: `left:${percent(item.atMs)}`, title: `${item.kind} at ${item.atMs} ms` }),
        ),
      ),
      h('span', { class: 'figure' }, `${stage.ms.toFixed(2)} ms ${stage.outcome === 'ok' ? '✓' : '✗ failed'}`),
      decided ? h('span', { class: 'badge decided', 'data-testid': 'failed-at' }, `decided here: ${event.status}`) : null,
    );
    return [lane, placed(stage.stage)].filter(Boolean);
  });
  // A request refused before any stage ran (no route, a body that does not parse).
  if (event.failedAt && !stages.some((stage) => stage.stage === event.failedAt)) {
    lanes.unshift(
      h(
        'div',
        { class: 'lane failed decided', 'data-testid': 'stage', 'data-stage': event.failedAt, 'data-outcome': 'failed' },
        h('span', { class: 'name' }, event.failedAt),
        h('span', { class: 'track' }),
        h('span', { class: 'figure' }, '✗'),
        h('span', { class: 'badge decided', 'data-testid': 'failed-at' }, `decided here: ${event.status}`),
      ),
    );
  }
  lanes.push(
    h(
      'div',
      { class: 'lane response', 'data-testid': 'stage', 'data-stage': 'response' },
      h('span', { class: 'name' }, 'response'),
      h(
        'span',
        { class: 'track' },
        h('span', { class: `bar ${event.status >= 400 ? 'failed' : 'ok'}`, style: 'left:calc(100% - 3px);width:3px' }),
      ),
      h('span', { class: 'figure' }, `${event.status} after ${event.durationMs.toFixed(2)} ms`),
    ),
  );
  lanes.push(placed('response'));
  // What ran before the first stage (a service's own middleware: a session loaded from Redis) comes first.
  const early = placed('pipeline');
  if (early) lanes.unshift(h('p', { class: 'elsewhere' }, 'before the first stage'), early);
  // Anything else (a stage that was not timed) keeps its stage's name.
  for (const stage of [...items.keys()]) lanes.push(h('p', { class: 'elsewhere' }, stage), placed(stage));
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'timeline' },
    h('p', { class: 'when' }, `${new Date(event.at).toLocaleTimeString()} · ${event.method} ${event.path} · request ${event.id}`),
    event.inspection ? insightList(event.inspection) : null,
    lanes,
    event.inspection?.request ? curlView(event.inspection.request.curl) : null,
    event.problem ? problemView(event.problem) : null,
  );
}

const json = (value) => h('code', { class: 'json' }, JSON.stringify(value));
const ms = (item) => (item.ms === undefined ? null : h('span', { class: 'ms' }, ` ${item.ms.toFixed(2)} ms`));
const at = (item) => h('span', { class: 'at', title: 'from the start of the request' }, `@${item.atMs.toFixed(1)} ms`);

/** One thing the request did, as a line of the timeline. */
function inspectedItem(item) {
  const line = (...parts) =>
    h(
      'li',
      { class: `item ${item.kind}${item.error ? ' failed' : ''}`, 'data-testid': 'item', 'data-kind': item.kind },
      at(item),
      ' ',
      ...parts,
    );
  switch (item.kind) {
    case 'mongo': {
      const outcome =
        item.returned !== undefined ? `${item.returned} returned` : item.modified !== undefined ? `${item.modified} changed` : '';
      return line(
        h('strong', {}, 'MongoDB '),
        h('code', {}, `${item.command}${item.collection ? ` ${item.collection}` : ''}`),
        item.filter !== undefined ? [' ', json(item.filter)] : null,
        item.pipeline !== undefined ? [' ', json(item.pipeline)] : null,
        item.update !== undefined ? [' update ', json(item.update)] : null,
        outcome ? ` → ${outcome}` : null,
        ms(item),
        item.error ? h('span', { class: 'error' }, ` ✗ ${item.error}`) : null,
      );
    }
    case 'redis':
      return line(
        h('strong', {}, 'Redis '),
        h('code', {}, `${item.command}${item.key ? ` ${item.key}` : ''}`),
        ms(item),
        item.error ? h('span', { class: 'error' }, ` ✗ ${item.error}`) : null,
      );
    case 'mail':
      return line(
        h('strong', {}, 'mail '),
        `to ${item.to}: “${item.subject}” (${item.bytes} bytes) `,
        h('details', {}, h('summary', {}, 'body'), h('pre', { 'data-testid': 'mail-body' }, item.text)),
      );
    case 'log':
      return line(h('strong', {}, `log ${item.level} `), item.message, item.meta ? [' ', json(item.meta)] : null);
    case 'authz':
      return item.decision === 'scoped'
        ? line(h('strong', {}, 'ownership '), `the query is limited to ${item.principal}'s: `, json(item.filter))
        : line(
            h('strong', {}, 'authorization '),
            `${item.principal} (role ${item.role}) asked for `,
            h('code', {}, item.permission),
            h('span', { class: item.decision === 'allowed' ? 'allowed' : 'error' }, ` → ${item.decision}`),
          );
    case 'limit':
      return line(
        h('strong', {}, 'rate limit '),
        h('code', {}, item.name),
        ` ${item.remaining} of ${item.limit} left${item.resetAt ? `, window ends ${new Date(item.resetAt).toLocaleTimeString()}` : ''}`,
        item.allowed ? '' : h('span', { class: 'error' }, ' → over the limit'),
      );
    case 'job':
      return line(
        h('strong', {}, 'job '),
        h('code', {}, `${item.queue}/${item.name}`),
        item.jobId ? ` enqueued as ${item.jobId}` : '',
        item.attempts ? `, up to ${item.attempts} attempts` : '',
        item.delayMs ? `, after ${item.delayMs} ms` : '',
        item.error ? h('span', { class: 'error' }, ` ✗ ${item.error}`) : null,
        item.jobId ? [' ', jobButton(item.queue, item.jobId)] : null,
      );
    case 'emit':
      return line(
        h('strong', {}, 'socket.io emit '),
        h('code', {}, item.event),
        item.to.length ? ` to ${item.to.join(', ')}` : ' to everyone',
        ` (${item.bytes} bytes)`,
      );
    case 'error':
      return line(
        h('strong', { class: 'error' }, `${item.name}: `),
        item.message,
        item.stack ? h('pre', { 'data-testid': 'stack' }, item.stack) : null,
      );
    default:
      return line(json(item));
  }
}

/** Opens the job's own page under its item: its state, and each attempt a worker made with what it did. */
function jobButton(queue, id) {
  const { name, query } = state.source ?? {};
  const place = h('div', { class: 'job', 'data-testid': 'job-page' });
  const button = h(
    'button',
    {
      'data-testid': 'open-job',
      onclick: async (event) => {
        event.stopPropagation();
        button.textContent = 'loading…';
        try {
          place.replaceChildren(
            jobView(await api('GET', `/api/services/${name}/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}${query}`)),
          );
          button.textContent = 'refresh the job';
        } catch (error) {
          place.replaceChildren(h('p', { class: 'error' }, error.message));
          button.textContent = 'open the job';
        }
      },
    },
    'open the job',
  );
  return [button, place];
}

function jobView(job) {
  const outcome = job.failedReason
    ? h('span', { class: 'error' }, ` ✗ ${job.failedReason}`)
    : job.result !== undefined
      ? [' → ', json(job.result)]
      : null;
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'job-state', 'data-state': job.state },
      h('strong', {}, `${job.queue}/${job.name} #${job.id}: ${job.state}`),
      `, ${job.attemptsMade} of ${job.attempts} attempts made`,
      outcome,
    ),
    h('p', {}, 'data ', json(job.data), job.progress ? [' · progress ', json(job.progress)] : null),
    job.runs.length
      ? h(
          'ol',
          { class: 'runs' },
          job.runs.map((run) =>
            h(
              'li',
              { 'data-testid': 'job-run', 'data-outcome': run.outcome },
              h(
                'p',
                {},
                `attempt ${run.attempt} · ${new Date(run.at).toLocaleTimeString()} · ${run.outcome} after ${run.durationMs.toFixed(1)} ms on ${run.worker}`,
                run.error ? h('span', { class: 'error' }, ` ✗ ${run.error}`) : null,
              ),
              insightList(run.record),
              h('ul', { class: 'items' }, run.record.items.map(inspectedItem)),
            ),
          ),
        )
      : h('p', {}, 'No attempt yet (or the worker runs without the inspector: start it with pnpm dev).'),
  );
}

/** The insights, each with a link to what it means; and what the budgets left out. */
function insightList({ insights, dropped }) {
  const left = Object.entries(dropped).filter(([, count]) => count > 0);
  return [
    insights.length
      ? h(
          'ul',
          { class: 'insights', 'data-testid': 'insights' },
          insights.map((insight) =>
            h(
              'li',
              { 'data-testid': 'insight', 'data-kind': insight.kind },
              `⚑ ${insight.message} `,
              h('a', { href: `/${insight.explain}`, target: '_blank' }, 'why, and how to fix it'),
            ),
          ),
        )
      : null,
    left.length
      ? h(
          'p',
          { class: 'dropped', 'data-testid': 'dropped' },
          `Not kept, over the budget: ${left.map(([kind, count]) => `${count} ${kind}`).join(', ')}.`,
        )
      : null,
  ];
}

function curlView(curl) {
  const text = h('pre', { 'data-testid': 'curl' }, curl);
  const button = h(
    'button',
    {
      'data-testid': 'copy-curl',
      onclick: async (event) => {
        event.stopPropagation();
        try {
          await navigator.clipboard.writeText(curl);
          button.textContent = 'copied ✓';
        } catch {
          // No clipboard (plain http on another name, or refused): select it for Ctrl+C.
          getSelection().selectAllChildren(text);
          button.textContent = 'selected: press Ctrl+C';
        }
      },
    },
    'copy as curl',
  );
  return h('div', { class: 'curl' }, button, ' ', h('small', {}, 'credentials are <placeholders>'), text);
}

function problemView(problem) {
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return h(
    'div',
    { class: 'problem' },
    h('h4', {}, `${problem.status} ${problem.title ?? ''}: ${problem.detail ?? ''}`),
    errors.length
      ? h(
          'ul',
          {},
          errors.map((error) =>
            h('li', { 'data-testid': 'field-error', 'data-field': error.field }, h('code', {}, error.field), ` ${error.message}`),
          ),
        )
      : null,
    h('pre', { 'data-testid': 'problem' }, JSON.stringify(problem, null, 2)),
  );
}

// --- the guarantee board ------------------------------------------------------------------------

function guaranteeBoard(entry) {
  return h(
    'section',
    { class: 'board' },
    h('h3', {}, 'Guarantees, and the tests that prove them'),
    h(
      'p',
      {},
      h('button', { 'data-testid': 'run-tests', onclick: () => loadTests(entry.name, 'POST') }, 'Run tests'),
      ' ',
      h('span', { 'data-testid': 'test-status', 'data-verdict': 'not-run' }, ''),
    ),
    h(
      'table',
      { 'data-testid': 'guarantees' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'guarantee'), h('th', {}, 'proof'))),
      h(
        'tbody',
        {},
        entry.guarantees.map((row) => boardRow({ ...row, status: 'not-run', tests: [] })),
      ),
    ),
  );
}

function boardRow(row) {
  const mark = { passed: '●', failed: '●', 'not-run': '○' }[row.status];
  const tests = row.tests.length
    ? h(
        'details',
        { open: row.uncited },
        h('summary', {}, `${row.tests.length} test${row.tests.length === 1 ? '' : 's'}`),
        h(
          'ul',
          {},
          row.tests.map((test) =>
            h('li', { class: test.status }, `${test.status === 'passed' ? '✓' : '✗'} ${test.file} › ${test.fullName}`),
          ),
        ),
      )
    : null;
  // A citation no test of the run answers to: a renamed test, or a typo in the README.
  const missing = row.missing?.length
    ? h(
        'p',
        { class: 'missing', 'data-testid': 'missing' },
        `No test of this run is called ${row.missing.map((name) => `“${name}”`).join(', ')}.`,
      )
    : null;
  return h(
    'tr',
    {
      'data-testid': row.uncited ? 'uncited-failures' : 'guarantee-row',
      'data-status': row.status,
      class: row.uncited ? `${row.status} uncited` : row.status,
    },
    h('td', { class: 'mark', title: row.status }, mark),
    h('td', {}, inline(row.guarantee)),
    h('td', {}, inline(row.proof), tests, missing),
  );
}

async function loadTests(name, method) {
  const status = () => document.querySelector('[data-testid="test-status"]');
  const button = document.querySelector('[data-testid="run-tests"]');
  if (method === 'POST') {
    button.disabled = true;
    status().textContent = 'running the test suite… (a minute or so)';
  }
  try {
    const { run, board, uncited, verdict } = await api(method, `/api/services/${name}/tests`);
    if (state.selected !== name) return;
    status().textContent = run
      ? `${verdict === 'passed' ? '✓' : '✗'} last run ${new Date(run.ranAt).toLocaleString()}: ${run.passed} passed, ${run.failed} failed`
      : 'not run yet';
    status().dataset.verdict = verdict;
    // Failures no guarantee cites come first, in red: the board is never greener than the run.
    const outside = uncited.length
      ? boardRow({ guarantee: 'Failing tests that no guarantee above cites', proof: '', status: 'failed', tests: uncited, uncited: true })
      : null;
    document.querySelector('[data-testid="guarantees"] tbody').replaceChildren(...[outside, ...board.map(boardRow)].filter(Boolean));
  } catch (error) {
    if (state.selected === name) status().textContent = `failed: ${error.message}`;
  } finally {
    if (button) button.disabled = false;
  }
}

// --- the exercises -------------------------------------------------------------------------------

function exerciseList(entry) {
  return h(
    'section',
    { class: 'exercises' },
    h('h3', {}, 'Exercises, each with a check'),
    h(
      'p',
      {},
      h('button', { 'data-testid': 'run-exercises', onclick: () => loadExercises(entry.name, 'POST') }, 'Run the checks'),
      ' ',
      h('span', { 'data-testid': 'exercise-status' }, ''),
      ' ',
      h('code', { class: 'command' }, `pnpm exercise ${entry.name} <n>`),
    ),
    h('ol', { 'data-testid': 'exercises' }),
  );
}

function exerciseItem(exercise) {
  const mark = { passed: '✓', failed: '✗', broken: '✗' }[exercise.state] ?? '○';
  const said = { passed: 'done', failed: 'not yet', broken: 'the check does not load' }[exercise.state] ?? 'not checked yet';
  return h(
    'li',
    {
      'data-testid': 'exercise',
      'data-number': String(exercise.number),
      'data-state': exercise.state ?? 'not-run',
      class: exercise.state ?? 'not-run',
    },
    h('span', { class: 'mark', title: said }, mark),
    ' ',
    h('strong', {}, exercise.title),
    ` — ${said} `,
    h('code', {}, exercise.test),
    exercise.hint && exercise.state && exercise.state !== 'passed'
      ? h('p', { class: 'hint', 'data-testid': 'exercise-hint' }, `Hint: ${exercise.hint}`)
      : null,
  );
}

async function loadExercises(name, method) {
  const status = () => document.querySelector('[data-testid="exercise-status"]');
  const button = document.querySelector('[data-testid="run-exercises"]');
  if (method === 'POST') {
    button.disabled = true;
    status().textContent = 'running the checks…';
  }
  try {
    const { ranAt, exercises } = await api(method, `/api/services/${name}/exercises`);
    if (state.selected !== name) return;
    const done = exercises.filter((exercise) => exercise.state === 'passed').length;
    status().textContent =
      exercises.length === 0
        ? 'this service has no checkable exercises yet'
        : ranAt
          ? `${done} of ${exercises.length} done`
          : 'not checked yet';
    document.querySelector('[data-testid="exercises"]').replaceChildren(...exercises.map(exerciseItem));
  } catch (error) {
    if (state.selected === name) status().textContent = `failed: ${error.message}`;
  } finally {
    if (button) button.disabled = false;
  }
}

window.addEventListener('hashchange', () => {
  const name = location.hash.slice(2) || null;
  if (name !== state.selected) show(name);
});
load().catch((error) => {
  document
    .getElementById('detail')
    .replaceChildren(h('p', { class: 'hint', 'data-testid': 'load-error' }, `The catalogue did not load: ${error.message}`));
});
