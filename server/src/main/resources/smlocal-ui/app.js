// smlocal dashboard: plain JS, no library, same origin only. Every read and every action goes
// through api(), the one place that talks to the server (and adds the admin token when there is one).
'use strict';
(function () {
  const BASE = '/_smlocal/';
  const TOKEN_KEY = 'smlocal.adminToken';
  const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
  const MAX_EVENTS = 2000;
  const $ = (id) => document.getElementById(id);
  const state = {
    tab: 'estate', offset: 0, limit: 100, estate: null, secret: null, regions: [],
    eventsFrom: 0, events: [], eventsSeen: 0, loaded: false, asking: false,
  };

  // ---- the one way to the server ----------------------------------------------------------------
  // A token given as #token=... is kept in sessionStorage (this tab only) and removed from the URL.
  function takeTokenFromFragment() {
    const m = location.hash.match(/(?:^#|&)token=([^&]+)/);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  async function api(path, opts, retried) {
    opts = opts || {};
    const headers = { Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const r = await fetch(BASE + path, {
      method: opts.method || 'GET', headers, credentials: 'same-origin', cache: 'no-store',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    if (r.status === 401 && !retried && !state.asking) {
      state.asking = true;
      const entered = window.prompt('This smlocal asks for its admin token (kept for this tab only):');
      state.asking = false;
      if (entered) {
        sessionStorage.setItem(TOKEN_KEY, entered.trim());
        return api(path, opts, true);
      }
    }
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!r.ok) {
      const err = new Error((data && data.error) || ('HTTP ' + r.status + ' for ' + path));
      err.status = r.status;
      throw err;
    }
    return data;
  }

  // ---- helpers ------------------------------------------------------------------------------------
  function esc(v) {
    return String(v === undefined || v === null ? '' : v).replace(/[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  function when(iso) { return iso ? esc(iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : '<span class="muted">–</span>'; }
  function say(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : '';
  }
  async function act(label, fn) {
    try {
      await fn();
      say(label);
    } catch (e) {
      say(label + ' failed: ' + e.message, true);
    }
    await refresh();
  }
  function options(select, values, keepFirst) {
    const current = select.value;
    const first = keepFirst ? select.options[0].outerHTML : '';
    const markup = first + values.map((v) => '<option>' + esc(v) + '</option>').join('');
    if (select._markup === markup) return;
    select._markup = markup;
    select.innerHTML = markup;
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  }
  // Replaces an element's markup only when it changed, so polling keeps focus and selection.
  function html(el, markup) {
    if (el.dataset.rendered === undefined || el._markup !== markup) {
      el._markup = markup;
      el.dataset.rendered = '';
      el.innerHTML = markup;
    }
  }
  function badge(cls, text, title) {
    return '<span class="badge s-' + esc(cls) + '"' + (title ? ' title="' + esc(title) + '"' : '') + '>' + esc(text) + '</span>';
  }

  // ---- tabs ---------------------------------------------------------------------------------------
  function showTab(name) {
    state.tab = name;
    for (const t of ['estate', 'chaos', 'events', 'cost']) {
      $('tab-' + t).setAttribute('aria-selected', String(t === name));
      $('tab-' + t).tabIndex = t === name ? 0 : -1;
      $('view-' + t).hidden = t !== name;
    }
    refresh();
  }
  function tabKeys(e) {
    const order = ['estate', 'chaos', 'events', 'cost'];
    const i = order.indexOf(state.tab);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = order[(i + (e.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length];
      showTab(next);
      $('tab-' + next).focus();
      e.preventDefault();
    }
  }

  // ---- estate -------------------------------------------------------------------------------------
  function estateQuery() {
    const p = new URLSearchParams();
    for (const [k, id] of [['account', 'f-account'], ['region', 'f-region'], ['status', 'f-status'], ['q', 'f-q']]) {
      if ($(id).value) p.set(k, $(id).value);
    }
    p.set('offset', state.offset);
    p.set('limit', state.limit);
    return 'estate?' + p.toString();
  }

  async function loadEstate() {
    const e = await api(estateQuery());
    state.estate = e;
    renderHeader(e.clock, e.outages);
    if (state.regions.join() !== e.regions.join()) {
      state.regions = e.regions;
      for (const id of ['f-region', 'ev-region', 'fault-region']) options($(id), e.regions, true);
      options($('route-from'), e.regions, false);
      options($('route-to'), e.regions, false);
    }
    options($('f-account'), e.accounts, true);
    renderGrid(e);
    renderRows(e);
    if (!state.loaded) {
      state.loaded = true;
      const ms = Math.round(performance.now());
      document.documentElement.dataset.loadMs = String(ms);
      const fetched = performance.getEntriesByType('resource').find((r) => r.name.includes('/_smlocal/estate'));
      if (fetched) document.documentElement.dataset.estateMs = String(Math.round(fetched.duration));
      say('loaded in ' + ms + ' ms');
    }
  }

  function renderHeader(clock, outages) {
    $('clock-mode').textContent = clock.mode;
    $('clock-now').textContent = clock.now;
    $('clock-now').dateTime = clock.now;
    $('outage-summary').textContent = outages.length ? 'outage: ' + outages.map((o) => o.region + ' (' + o.mode + ')').join(', ') : '';
  }

  function renderGrid(e) {
    const down = new Map(e.outages.map((o) => [o.region, o.mode]));
    const used = new Set(e.grid.map((c) => c.region));
    // every enabled region when they fit, else the ones with secrets or an outage
    const regions = e.regions.length <= 8 ? e.regions : e.regions.filter((r) => used.has(r) || down.has(r));
    const count = new Map(e.grid.map((c) => [c.account + '/' + c.region, c.secrets]));
    const head = '<tr><th scope="col">Account</th>' + regions.map((r) =>
      '<th scope="col">' + esc(r) + (down.has(r) ? ' ' + badge('down', 'outage ' + down.get(r)) : '') + '</th>').join('') + '</tr>';
    const accounts = e.accounts.length ? e.accounts : [];
    const body = accounts.map((a) => '<tr><th scope="row" class="mono">' + esc(a) + '</th>' + regions.map((r) =>
      '<td>' + (count.get(a + '/' + r) || 0) + '</td>').join('') + '</tr>').join('')
      || '<tr><td class="muted">No secrets yet.</td></tr>';
    html($('grid').tHead, head);
    html($('grid').tBodies[0], body);
  }

  function keyCell(k, account) {
    if (!k) return '';
    let h = '<span class="mono">' + esc(k.ref) + '</span>';
    if (k.missing) h += ' ' + badge('error', 'no such key');
    else if (k.state && k.state !== 'Enabled') h += ' ' + badge('error', k.state);
    if (k.multiRegion) {
      h += ' ' + badge('primary', 'MRK') + ' ' + (k.mrkRegions || []).map((r) =>
        '<button type="button" class="link" data-filter-region="' + esc(r) + '" title="secrets in ' + esc(r) + '">' + esc(r) + '</button>').join(' ');
    }
    return h;
  }

  function renderRows(e) {
    const rows = e.rows.map((s) => {
      const replicas = s.replicas.map((r) =>
        '<span class="replica" data-secret="' + esc(s.name) + '" data-region="' + esc(r.region) + '" data-status="' + esc(r.status) + '">'
        + badge(r.status, r.region + ' ' + r.status, r.statusMessage)
        + (r.statusMessage ? '<span class="msg msg-' + esc(r.status) + '">' + esc(r.statusMessage) + '</span>' : '') + '</span>').join(' ');
      const rotation = s.rotationEnabled ? badge('ok', 'on') + (s.nextRotationDate ? ' next ' + when(s.nextRotationDate) : '')
        : '<span class="muted">off</span>';
      return '<tr data-secret="' + esc(s.name) + '">'
        + '<td><button type="button" class="link" data-open="' + esc(s.account) + '|' + esc(s.region) + '|' + esc(s.name) + '">'
        + esc(s.name) + '</button>' + (s.deleted ? ' ' + badge('error', 'deleted') : '') + '</td>'
        + '<td class="mono account">' + esc(s.account) + '</td>'
        + '<td>' + badge('primary', s.region) + '</td>'
        + '<td>' + (replicas || '<span class="muted">none</span>') + '</td>'
        + '<td>' + when(s.lastChangedDate) + '</td>'
        + '<td>' + rotation + '</td>'
        + '<td>' + keyCell(s.kmsKey, s.account) + s.replicas.filter((r) => r.kmsKey && !r.kmsKey.awsManaged)
          .map((r) => '<br><span class="muted">' + esc(r.region) + ':</span> ' + keyCell(r.kmsKey, s.account)).join('') + '</td>'
        + '</tr>';
    }).join('');
    html($('estate').tBodies[0], rows || '<tr><td colspan="7" class="muted">No secret matches.</td></tr>');
    const last = Math.min(e.offset + e.limit, e.matched);
    $('page-info').textContent = e.matched ? (e.offset + 1) + '–' + last + ' of ' + e.matched + ' (' + e.totalSecrets + ' secrets in all)' : '0 of ' + e.totalSecrets;
    $('page-prev').disabled = e.offset === 0;
    $('page-next').disabled = last >= e.matched;
  }

  // ---- one secret ---------------------------------------------------------------------------------
  async function openSecret(account, region, name) {
    state.secret = { account, region, name };
    $('secret').hidden = false;
    await loadSecret();
    $('secret-title').focus();
  }

  async function loadSecret() {
    const k = state.secret;
    if (!k) return;
    const p = new URLSearchParams({ account: k.account, region: k.region, name: k.name });
    let s;
    try {
      s = await api('estate/secret?' + p.toString());
    } catch (e) {
      if (e.status !== 404) throw e;
      // gone (deleted, or the emulator was reset): stop asking for it
      state.secret = null;
      $('secret-title').textContent = k.name + ' no longer exists in ' + k.account + ' / ' + k.region;
      return;
    }
    $('secret-title').textContent = s.name;
    $('secret-title').tabIndex = -1;
    const ev = s.events || [];
    const holder = (s.versions.find((v) => v.stages.includes('AWSCURRENT')) || {}).versionId;
    const held = currentHistory(ev);
    const versions = s.versions.map((v) => '<li><time>' + when(v.createdDate) + '</time> <span class="mono">' + esc(v.versionId) + '</span> '
      + (v.stages.length ? v.stages.map((st) => badge(st === 'AWSCURRENT' ? 'ok' : 'primary', st)).join('') : '<span class="muted">no stage (deprecated)</span>')
      + '</li>').join('');
    const moves = held.map((m, i) => '<li><span class="mono">' + esc(m.version) + '</span> from <time>' + when(m.from) + '</time>'
      + (i + 1 < held.length ? ' until <time>' + when(held[i + 1].from) + '</time>' : ' on') + ' <span class="muted">(' + esc(m.by) + ')</span></li>').join('')
      + (held.length && held[held.length - 1].version !== holder && holder
        ? '<li class="muted">then <span class="mono">' + esc(holder) + '</span>, by a change the event log does not show (a PutSecretValue with VersionStages, or one older than the log)</li>' : '');
    const repl = ev.filter((x) => x.eventName.startsWith('Replication') || /ReplicaRegions|ReplicateSecret|PromoteSecret/.test(x.eventName))
      .map((x) => '<tr><td>' + when(x.eventTime) + '</td><td>' + esc(x.eventName) + '</td><td>' + esc((x.requestParameters || {}).replicaRegion || '') + '</td><td>'
        + esc(x.errorMessage || '') + '</td></tr>').join('');
    const status = (s.replicationStatus || []).map((r) => '<li>' + badge(r.Status || r.status, (r.Region || r.region) + ' ' + (r.Status || r.status))
      + ' ' + esc(r.StatusMessage || r.statusMessage || '') + '</li>').join('');
    const runs = rotationRuns(ev).map((run) => '<tr><td>' + when(run.started) + '</td><td class="mono">' + esc(run.token || '') + '</td><td>'
      + run.steps.map((st) => badge(st.outcome === 'succeeded' ? 'ok' : st.outcome === 'failed' ? 'error' : 'waiting', st.step + ': ' + st.outcome)).join(' ')
      + '</td><td>' + esc(run.error || '') + '</td></tr>').join('');
    let policy = s.resourcePolicy;
    try { if (policy) policy = JSON.stringify(JSON.parse(policy), null, 2); } catch (e) { /* shown as stored */ }
    html($('secret-body'),
      '<p class="mono">' + esc(s.arn) + '</p>'
      + '<p>Account <span class="mono">' + esc(s.account) + '</span>, primary region ' + badge('primary', s.region)
      + (s.description ? ', ' + esc(s.description) : '') + '. Created ' + when(s.createdDate) + ', last changed ' + when(s.lastChangedDate)
      + '. KMS key: ' + keyCell(s.kmsKey, s.account) + '. Values are never shown here.</p>'
      + '<p>Rotation: ' + (s.rotationEnabled ? 'on' : 'off') + (s.rotationLambdaArn ? ', function <span class="mono">' + esc(s.rotationLambdaArn) + '</span>' : '')
      + (s.rotationSchedule ? ', ' + esc(s.rotationSchedule) : '') + (s.lastRotatedDate ? ', last ' + when(s.lastRotatedDate) : '')
      + (s.nextRotationDate ? ', next ' + when(s.nextRotationDate) : '') + '.</p>'
      + '<h3>Versions and stages (oldest first)</h3><ol class="timeline" id="secret-versions">' + versions + '</ol>'
      + '<h3>Who held AWSCURRENT when</h3>' + (moves ? '<ol class="timeline" id="secret-current-history">' + moves + '</ol>' : '<p class="muted">Nothing recorded in the event log.</p>')
      + '<h3>Replication</h3>' + (status ? '<ul class="plain" id="secret-replicas">' + status + '</ul>' : '<p class="muted">Not replicated.</p>')
      + (repl ? '<table class="rows"><thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Region</th><th scope="col">Message</th></tr></thead><tbody>' + repl + '</tbody></table>' : '')
      + '<h3>Rotation runs</h3>' + (runs ? '<table class="rows" id="secret-rotations"><thead><tr><th scope="col">Started</th><th scope="col">Token</th><th scope="col">Steps</th><th scope="col">Error</th></tr></thead><tbody>' + runs + '</tbody></table>' : '<p class="muted">None recorded.</p>')
      + '<h3>Resource policy</h3>' + (policy ? '<pre>' + esc(policy) + '</pre>' : '<p class="muted">None.</p>'));
  }

  // AWSCURRENT's holders over time, from the calls and rotations that move it: a value given to
  // CreateSecret or UpdateSecret, PutSecretValue (the event does not keep VersionStages, so one that
  // named other stages is read as moving AWSCURRENT too), UpdateSecretVersionStage, a rotation's finish.
  function currentHistory(events) {
    const moves = [];
    for (const x of events) {
      if (x.errorCode) continue;
      const p = x.requestParameters || {};
      let v = null;
      if ((x.eventName === 'CreateSecret' || x.eventName === 'UpdateSecret') && (p.SecretString || p.SecretBinary)) v = p.ClientRequestToken;
      else if (x.eventName === 'PutSecretValue') v = p.ClientRequestToken;
      else if (x.eventName === 'UpdateSecretVersionStage' && p.VersionStage === 'AWSCURRENT' && p.MoveToVersionId) v = p.MoveToVersionId;
      else if (x.eventName === 'RotationSucceeded') v = p.clientRequestToken;
      if (v && (!moves.length || moves[moves.length - 1].version !== v)) moves.push({ version: v, from: x.eventTime, by: x.eventName });
    }
    return moves;
  }

  // A run: RotationStarted ... RotationSucceeded/RotationFailed with the failed step; steps before it
  // succeeded, steps after it did not run. A run without an end is still running.
  function rotationRuns(events) {
    const runs = [];
    let open = null;
    for (const x of events) {
      const n = x.eventName;
      const p = x.requestParameters || {};
      if (n === 'RotationStarted' || n === 'TestRotationStarted') {
        open = { started: x.eventTime, token: p.clientRequestToken, steps: STEPS.map((st) => ({ step: st, outcome: 'running' })) };
        runs.push(open);
      } else if (open && /^(Test)?Rotation(Succeeded|Failed)$/.test(n)) {
        const failedAt = n.endsWith('Failed') ? STEPS.indexOf(p.step) : -1;
        open.steps = STEPS.map((st, i) => ({
          step: st,
          outcome: n.endsWith('Succeeded') ? 'succeeded' : failedAt < 0 ? 'not run' : i < failedAt ? 'succeeded' : i === failedAt ? 'failed' : 'not run',
        }));
        open.error = x.errorMessage;
        open = null;
      }
    }
    return runs.reverse();
  }

  // ---- chaos --------------------------------------------------------------------------------------
  async function loadChaos() {
    const [clock, faults, repl] = await Promise.all([api('clock'), api('faults'), api('replication')]);
    $('chaos-clock-mode').textContent = clock.mode;
    $('chaos-clock-now').textContent = clock.now;
    html($('pending-tasks'), clock.pending.map((p) => '<li><time>' + when(p.dueAt) + '</time> ' + esc(p.name) + '</li>').join('')
      || '<li class="muted">none</li>');
    const down = new Map(faults.filter((f) => f.action === 'outage').map((f) => [f.region, (f.attributes || {}).mode || '503']));
    const regions = state.regions.length ? state.regions : [];
    html($('outages').tBodies[0], regions.map((r) => '<tr><th scope="row">' + esc(r) + '</th><td>'
      + (down.has(r) ? badge('down', 'outage (' + down.get(r) + ')') : badge('ok', 'up')) + '</td><td>'
      + '<button type="button" id="outage-503-' + esc(r) + '" data-outage="' + esc(r) + '" data-mode="503">Outage: 503</button> '
      + '<button type="button" id="outage-timeout-' + esc(r) + '" data-outage="' + esc(r) + '" data-mode="timeout">Outage: timeout</button> '
      + '<button type="button" id="heal-' + esc(r) + '" data-heal="' + esc(r) + '"' + (down.has(r) ? '' : ' disabled') + '>Heal</button></td></tr>').join(''));
    if (document.activeElement !== $('lag-default')) $('lag-default').value = repl.defaultLag;
    state.routes = repl.routes;
    html($('routes').tBodies[0], repl.routes.map((r, i) => '<tr><td>' + esc(r.from) + '</td><td>' + esc(r.to) + '</td><td>' + esc(r.lag)
      + '</td><td><button type="button" data-route-remove="' + i + '">Remove</button></td></tr>').join('')
      || '<tr><td colspan="4" class="muted">Every route uses the default lag.</td></tr>');
    html($('deliveries'), repl.pending.map((p) => '<li><time>' + when(p.dueAt) + '</time> ' + esc(p.name) + '</li>').join('')
      + repl.waitingForOutage.map((w) => '<li>' + badge('waiting', 'waiting for an outage') + ' ' + esc(typeof w === 'string' ? w : JSON.stringify(w)) + '</li>').join('')
      || '<li class="muted">none</li>');
    html($('faults').tBodies[0], faults.map((f) => '<tr><td class="mono">' + esc(f.id) + '</td><td>' + esc(f.action) + '</td><td>'
      + esc([f.region && 'region ' + f.region, f.operation && 'op ' + f.operation, f.account && 'account ' + f.account,
        (f.from || f.to) && 'route ' + (f.from || '*') + '→' + (f.to || '*')].filter(Boolean).join(', ') || 'everywhere')
      + '</td><td>' + esc(f.probability) + '</td><td>' + esc(f.count === undefined || f.count === null ? '∞' : f.count) + '</td><td class="mono">'
      + esc(JSON.stringify(f.attributes || {})) + '</td><td><button type="button" class="danger" data-fault-remove="' + esc(f.id) + '">Remove</button></td></tr>').join('')
      || '<tr><td colspan="7" class="muted">No fault rules.</td></tr>');
  }

  function addFault() {
    const rule = { action: $('fault-action').value };
    const take = (key, id) => { const v = $(id).value.trim(); if (v) rule[key] = v; };
    take('region', 'fault-region');
    take('operation', 'fault-operation');
    take('errorType', 'fault-errortype');
    take('millis', 'fault-millis');
    take('from', 'fault-from');
    take('to', 'fault-to');
    const p = $('fault-probability').value.trim();
    if (p) rule.probability = Number(p);
    const c = $('fault-count').value.trim();
    if (c) rule.count = Number(c);
    return act('fault added', () => api('faults', { method: 'POST', body: rule }));
  }

  // ---- events -------------------------------------------------------------------------------------
  // The first poll starts with the newest events only; later polls ask for what came after.
  async function pollEvents() {
    const t = await api('events/tail?' + (state.eventsStarted ? 'from=' + state.eventsFrom : 'last=' + MAX_EVENTS));
    state.eventsStarted = true;
    if (t.next < state.eventsFrom) {  // the log was reset
      state.events = [];
    }
    state.eventsFrom = t.next;
    if (t.events.length) {
      state.events.push(...t.events);
      if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
    }
    $('event-count').textContent = '(' + t.next + ')';
    if (state.tab === 'events' && $('ev-live').checked) renderEvents();
  }

  function renderEvents() {
    const name = $('ev-name').value.trim().toLowerCase();
    const region = $('ev-region').value;
    const source = $('ev-source').value;
    const errors = $('ev-errors').checked;
    const shown = [];
    for (let i = state.events.length - 1; i >= 0 && shown.length < 500; i--) {
      const x = state.events[i];
      if (name && !x.eventName.toLowerCase().includes(name)) continue;
      if (region && x.awsRegion !== region) continue;
      if (source && x.eventSource !== source) continue;
      if (errors && !x.errorCode) continue;
      shown.push(x);
    }
    $('ev-info').textContent = shown.length + ' shown (newest first) of the last ' + state.events.length + ' events.';
    html($('events').tBodies[0], shown.map((x) => '<tr data-event="' + esc(x.eventName) + '"><td>' + when(x.eventTime) + '</td><td>' + esc(x.eventSource)
      + '</td><td>' + esc(x.eventName) + '</td><td>' + esc(x.awsRegion || '') + '</td><td class="mono">' + esc(x.recipientAccountId || '')
      + '</td><td class="mono">' + esc(x.requestParameters ? JSON.stringify(x.requestParameters) : '') + '</td><td>'
      + (x.errorCode ? badge('error', x.errorCode) + ' ' + esc(x.errorMessage || '') : '') + '</td></tr>').join('')
      || '<tr><td colspan="7" class="muted">No event matches.</td></tr>');
  }

  // ---- cost ---------------------------------------------------------------------------------------
  async function loadCost() {
    const c = await api('cost');
    $('cost-note').textContent = c.note;
    const row = (item, count, price, amount) => '<tr><td>' + item + '</td><td>' + esc(count) + '</td><td>' + esc(price) + '</td><td>' + esc(amount) + '</td></tr>';
    html($('cost').tBodies[0],
      row('Secrets (' + c.primarySecrets + ' primaries + ' + c.replicaSecrets + ' replicas)', c.secrets, '$' + c.prices.secretPerMonth + ' per secret-month', c.monthly.secrets)
      + row('Secrets Manager API calls so far', c.apiCalls, '$' + c.prices.per10000ApiCalls + ' per 10,000', c.monthly.apiCalls)
      + row('Customer managed KMS keys (MRK replicas each count)', c.customerManagedKeys, '$' + c.prices.kmsKeyPerMonth + ' per key-month', c.monthly.kmsKeys)
      + '<tr><th scope="row">Estimated total</th><td></td><td>prices as of ' + esc(c.pricesAsOf) + '</td><th id="cost-total">' + esc(c.monthly.total) + '</th></tr>');
  }

  // ---- refresh loop -------------------------------------------------------------------------------
  let refreshing = null;
  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      try {
        await loadEstate();
        if (state.tab === 'chaos') await loadChaos();
        if (state.tab === 'cost') await loadCost();
        if (state.tab === 'estate' && state.secret) await loadSecret();
        if (state.tab === 'events') renderEvents();
      } catch (e) {
        say('refresh failed: ' + e.message, true);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  function loop(fn, ms) {
    const tick = async () => {
      try { await fn(); } catch (e) { say(e.message, true); }
      setTimeout(tick, ms);
    };
    setTimeout(tick, ms);
  }

  function wire() {
    for (const t of ['estate', 'chaos', 'events', 'cost']) {
      $('tab-' + t).addEventListener('click', () => showTab(t));
      $('tab-' + t).addEventListener('keydown', tabKeys);
    }
    for (const id of ['f-account', 'f-region', 'f-status']) $(id).addEventListener('change', () => { state.offset = 0; refresh(); });
    let typing = null;
    $('f-q').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => { state.offset = 0; refresh(); }, 200); });
    $('page-prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - state.limit); refresh(); });
    $('page-next').addEventListener('click', () => { state.offset += state.limit; refresh(); });
    $('page-size').addEventListener('change', () => { state.limit = Number($('page-size').value); state.offset = 0; refresh(); });
    $('secret-close').addEventListener('click', () => { state.secret = null; $('secret').hidden = true; });
    document.addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (!b) return;
      const d = b.dataset;
      if (d.open) {
        const [account, region, ...name] = d.open.split('|');
        openSecret(account, region, name.join('|')).catch((x) => say(x.message, true));
      } else if (d.filterRegion) {
        $('f-region').value = d.filterRegion;
        state.offset = 0;
        refresh();
      } else if (d.advance) {
        act('clock advanced by ' + d.advance, () => api('clock', { method: 'POST', body: { advance: d.advance } }));
      } else if (d.outage) {
        act('outage in ' + d.outage, () => api('regions/' + encodeURIComponent(d.outage) + '/outage',
          { method: 'POST', body: d.mode === 'timeout' ? { mode: 'timeout' } : {} }));
      } else if (d.heal) {
        act(d.heal + ' healed', () => api('regions/' + encodeURIComponent(d.heal) + '/outage', { method: 'DELETE' }));
      } else if (d.faultRemove) {
        act('fault removed', () => api('faults/' + encodeURIComponent(d.faultRemove), { method: 'DELETE' }));
      } else if (d.routeRemove !== undefined) {
        const routes = (state.routes || []).filter((r, i) => i !== Number(d.routeRemove));
        act('route removed', () => api('replication', { method: 'PUT', body: { routes } }));
      }
    });
    $('clock-manual').addEventListener('click', () => act('clock manual', () => api('clock', { method: 'POST', body: { mode: 'manual' } })));
    $('clock-system').addEventListener('click', () => act('clock system', () => api('clock', { method: 'POST', body: { mode: 'system' } })));
    $('lag-default-save').addEventListener('click', () => act('default lag set',
      () => api('replication', { method: 'PUT', body: { defaultLag: $('lag-default').value.trim() } })));
    $('route-add').addEventListener('click', () => {
      const routes = (state.routes || []).filter((r) => !(r.from === $('route-from').value && r.to === $('route-to').value));
      routes.push({ from: $('route-from').value, to: $('route-to').value, lag: $('route-lag').value.trim() });
      act('route lag set', () => api('replication', { method: 'PUT', body: { routes } }));
    });
    $('fault-add').addEventListener('click', addFault);
    for (const id of ['ev-name', 'ev-region', 'ev-source', 'ev-errors', 'ev-live']) {
      $(id).addEventListener(id === 'ev-name' ? 'input' : 'change', renderEvents);
    }
  }

  takeTokenFromFragment();
  wire();
  showTab('estate');
  // the estate first; the event stream starts once it is drawn
  refresh().then(() => pollEvents()).catch((e) => say(e.message, true)).finally(() => {
    loop(refresh, 1500);
    loop(pollEvents, 1000);
  });
}());
