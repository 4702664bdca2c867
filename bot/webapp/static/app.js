// caxbot Mini App. Every text comes from the server's catalogs
// (api/texts); every figure, date and name is formatted by the server.
// Inside Telegram the launch parameters arrive in the address's fragment
// (#tgWebAppData=...), or through window.Telegram.WebApp when a host
// provides it; outside Telegram (the demo) the server puts them there.
'use strict';

(function () {
  const tgApp = window.Telegram && window.Telegram.WebApp && window.Telegram.WebApp.initData ? window.Telegram.WebApp : null;
  const $ = (id) => document.getElementById(id);
  let texts = {};
  let lang = 'vi';
  let me = null;
  let stack = [];
  const launch = readLaunch();

  // ---- launch parameters and Telegram's web events ----

  function readLaunch() {
    if (tgApp) {
      return { initData: tgApp.initData, theme: tgApp.themeParams || null };
    }
    let raw = location.hash.slice(1);
    if (new URLSearchParams(raw).get('tgWebAppData')) {
      try { sessionStorage.setItem('caxbot.launch', raw); } catch (e) { /* private mode */ }
    } else {
      try { raw = sessionStorage.getItem('caxbot.launch') || ''; } catch (e) { raw = ''; }
    }
    const params = new URLSearchParams(raw);
    let theme = null;
    try { theme = JSON.parse(params.get('tgWebAppThemeParams') || 'null'); } catch (e) { theme = null; }
    if (location.hash) {
      history.replaceState(null, '', location.pathname + location.search);
    }
    return { initData: params.get('tgWebAppData') || '', theme: theme };
  }

  // postEvent speaks to the Telegram client as telegram-web-app.js does:
  // the mobile apps' proxy, or the web client's frame messages.
  function postEvent(type, data) {
    if (tgApp) { return; }
    const body = data === undefined ? '' : JSON.stringify(data);
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, body);
      } else if (window.external && 'notify' in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), '*');
      }
    } catch (e) { /* not inside Telegram */ }
  }

  function onTelegramEvent(type, data) {
    if (type === 'back_button_pressed') { goBack(); }
    if (type === 'theme_changed' && data && data.theme_params) { applyTheme(data.theme_params); }
  }

  function listenTelegram() {
    if (tgApp) {
      tgApp.ready();
      tgApp.expand();
      tgApp.BackButton.onClick(goBack);
      tgApp.onEvent('themeChanged', () => applyTheme(tgApp.themeParams));
      return;
    }
    window.Telegram = window.Telegram || {};
    window.Telegram.WebView = window.Telegram.WebView || {};
    window.Telegram.WebView.receiveEvent = onTelegramEvent;
    window.addEventListener('message', (e) => {
      try {
        const m = JSON.parse(e.data);
        if (m && m.eventType) { onTelegramEvent(m.eventType, m.eventData); }
      } catch (err) { /* another frame's message */ }
    });
    postEvent('web_app_ready');
    postEvent('web_app_expand');
  }

  function showBackButton(visible) {
    if (tgApp) {
      if (visible) { tgApp.BackButton.show(); } else { tgApp.BackButton.hide(); }
    } else {
      postEvent('web_app_setup_back_button', { is_visible: visible });
    }
    $('back').hidden = !visible;
  }

  function applyTheme(theme) {
    if (!theme) { return; }
    const root = document.documentElement;
    for (const [key, value] of Object.entries(theme)) {
      if (typeof value === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        root.style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
      }
    }
    if (theme.bg_color) {
      const dark = luminance(theme.bg_color) < 0.5;
      root.classList.toggle('dark', dark);
      root.classList.toggle('light', !dark);
    }
  }

  function luminance(hex) {
    let h = hex.slice(1);
    if (h.length === 3) { h = h.split('').map((c) => c + c).join(''); }
    const n = parseInt(h.slice(0, 6), 16);
    return (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  }

  // ---- texts ----

  // T formats a catalog message: %[2]s, %s and %d as Go's fmt writes them.
  function T(key, ...args) {
    const msg = texts[key];
    if (msg === undefined) { return '[' + key + ']'; }
    let next = 0;
    return msg.replace(/%(?:\[(\d+)\])?[sdv]/g, (_, n) => {
      const i = n ? Number(n) - 1 : next;
      next = i + 1;
      const a = args[i];
      if (typeof a === 'number') { return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US').format(a); }
      return a === undefined ? '' : String(a);
    });
  }

  async function loadTexts(want) {
    const res = await fetch('api/texts?lang=' + encodeURIComponent(want || ''));
    const body = await res.json();
    texts = body.texts;
    lang = body.lang;
    document.documentElement.lang = lang;
    return body;
  }

  function initDataLang() {
    try {
      const user = JSON.parse(new URLSearchParams(launch.initData).get('user') || '{}');
      return user.language_code || '';
    } catch (e) { return ''; }
  }

  // ---- the API ----

  class APIError extends Error {
    constructor(status, body) {
      super(body.message || String(status));
      this.status = status;
      this.code = body.error;
      this.fields = body.fields || [];
    }
  }

  async function api(path, body) {
    const init = { headers: { 'Authorization': 'tma ' + launch.initData, 'Accept-Language': lang } };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch('api/' + path, init);
    } catch (e) {
      throw new APIError(0, { error: 'offline', message: T('webapp.error.offline') });
    }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (!res.ok) { throw new APIError(res.status, data); }
    return data;
  }

  // ---- building the page ----

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) { continue; }
      if (k.startsWith('on')) { el.addEventListener(k.slice(2), v); } else if (k === 'class') { el.className = v; } else { el.setAttribute(k, v === true ? '' : v); }
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) { continue; }
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function bar(done, total, cls) {
    const pct = total > 0 ? Math.round(1000 * done / total) / 10 : 0;
    const fill = h('div', { class: 'bar-fill ' + (cls || '') });
    // Through the CSSOM: the page's content security policy allows no
    // inline style attribute.
    fill.style.width = pct + '%';
    return h('div', { class: 'bar-track', role: 'img', 'aria-label': done + '/' + total }, fill);
  }

  function section(title, ...children) {
    return h('section', { class: 'section' }, title ? h('h3', {}, title) : null, ...children);
  }

  function setMain(...children) {
    const main = $('main');
    main.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
    window.scrollTo(0, 0);
  }

  function showError(err, retry) {
    const msg = err instanceof APIError ? err.message : T('webapp.error.unavailable');
    setMain(h('div', { class: 'message bad', id: 'error', 'data-code': err.code || '' }, msg),
      retry ? h('button', { class: 'btn secondary', type: 'button', onclick: retry }, T('webapp.action.retry')) : null);
  }

  let toastTimer = 0;
  function toast(text) {
    const el = $('toast');
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
  }

  function loading() {
    setMain(h('p', { class: 'hint' }, T('webapp.loading')));
  }

  // ---- navigation: a stack of views; Telegram's back button pops it ----

  function open(view, replace) {
    if (replace) { stack.pop(); }
    stack.push(view);
    render();
  }

  function goBack() {
    if (stack.length > 1) {
      stack.pop();
      // What is shown again is read again: a report may have changed it.
      delete stack[stack.length - 1].data;
      render();
    }
  }

  function home(tab) {
    stack = [tab];
    render();
  }

  function tabsFor() {
    const tabs = [];
    if (me.role === 'commune') {
      tabs.push({ label: T('webapp.tab.commune'), view: { view: 'commune', code: me.scope.split(':')[1] } });
      tabs.push({ label: T('webapp.tab.report'), view: { view: 'report', code: me.scope.split(':')[1] } });
    } else {
      tabs.push({ label: T('webapp.tab.overview'), view: { view: 'overview', scope: me.scope } });
    }
    if (me.canInvite) {
      tabs.push({ label: T('webapp.tab.people'), view: { view: 'people' } });
    }
    return tabs;
  }

  function renderChrome() {
    const tabs = tabsFor();
    const nav = $('tabs');
    nav.hidden = tabs.length < 2;
    nav.replaceChildren(...tabs.map((t) => h('button', {
      type: 'button',
      'data-view': t.view.view,
      'aria-current': stack[0] && stack[0].view === t.view.view ? 'page' : false,
      onclick: () => home(t.view),
    }, t.label)));
    $('back').textContent = '‹ ' + T('webapp.action.back');
    showBackButton(stack.length > 1);
    const other = lang === 'vi' ? 'en' : 'vi';
    const langBtn = $('lang');
    langBtn.hidden = stack.length > 1;
    langBtn.textContent = T('webapp.lang.switch_to_' + other);
    langBtn.onclick = () => switchLang(other);
  }

  async function switchLang(to) {
    try {
      await api('lang', { lang: to });
      await loadTexts(to);
      me = await api('me');
      render();
    } catch (err) {
      toast(err.message);
    }
  }

  function render() {
    renderChrome();
    const v = stack[stack.length - 1];
    document.body.dataset.view = v.view;
    switch (v.view) {
      case 'overview': return renderOverview(v);
      case 'commune': return renderCommune(v);
      case 'report': return renderReport(v);
      case 'people': return renderPeople(v);
    }
  }

  function setTitle(text) {
    $('title').textContent = text;
    document.title = text;
  }

  // ---- overview ----

  async function renderOverview(v) {
    loading();
    let ov;
    try {
      ov = v.data || await api('overview?scope=' + encodeURIComponent(v.scope));
    } catch (err) {
      return showError(err, () => render());
    }
    v.data = ov;
    if (v.selected === undefined) { v.selected = ov.current; }
    setTitle(ov.name);
    const head = h('div', { class: 'head' }, h('h2', {}, ov.name), h('p', { class: 'hint' }, ov.asOf));
    if (ov.milestones.length === 0) {
      return setMain(head, section(null, h('p', { class: 'empty' }, T('webapp.overview.no_milestones'))));
    }
    const card = (m, i) => h('button', {
      type: 'button', class: 'row milestone', 'aria-pressed': i === v.selected ? 'true' : 'false', 'data-milestone': m.id,
      onclick: () => { v.selected = i; render(); },
    },
    h('div', { class: 'line' }, h('span', { class: 'name' }, m.title), h('span', { class: 'num' }, m.percent)),
    bar(m.done, m.total, m.complete ? 'done' : (m.overdue ? 'late' : '')),
    h('div', { class: 'line' },
      h('span', { class: 'note' }, m.summary),
      h('span', { class: 'note when' + (m.overdue ? ' late' : '') }, T('webapp.overview.deadline', m.deadline, m.when))),
    m.forecast ? h('div', { class: 'forecast ' + (m.forecast.onTime ? 'ok' : 'late') }, m.forecast.text) : null);

    // The milestone chosen (at first the next deadline not met) with its
    // bars one level down and what is behind; the other milestones after.
    const m = ov.milestones[v.selected];
    const parts = [head, section(null, h('div', { class: 'list', id: 'current' }, card(m, v.selected)))];
    if (m.units && m.units.length > 0) {
      parts.push(section(T('webapp.overview.by_' + (m.unitLevel || ov.unitLevel)),
        h('div', { class: 'list', id: 'units' }, m.units.map((u) => h(u.scope ? 'button' : 'div', u.scope ? {
          type: 'button', class: 'row unit', 'data-scope': u.scope, onclick: () => openScope(u.scope),
        } : { class: 'row unit' },
        h('div', { class: 'line' }, h('span', { class: u.scope ? 'name chev' : 'name' }, u.name), h('span', { class: 'num' }, u.done + '/' + u.total + ' · ' + u.percent)),
        bar(u.done, u.total, u.complete ? 'done' : (m.overdue ? 'late' : '')),
        h('div', { class: 'note' + (u.complete ? ' ok' : (m.overdue ? ' bad' : '')) }, u.note))))));
    }
    if (m.behindCount > 0 && m.behind.length > 0) {
      const rows = m.behind.map((b) => h(b.scope ? 'button' : 'div', b.scope ? { type: 'button', class: 'row behind', 'data-scope': b.scope, onclick: () => openScope(b.scope) } : { class: 'row behind' },
        h('div', { class: b.scope ? 'name chev' : 'name' }, b.district ? T('webapp.overview.in_district', b.name, b.district) : b.name),
        h('div', { class: 'note' + (m.overdue ? ' bad' : '') }, b.missing)));
      if (m.behindCount > m.behind.length) {
        rows.push(h('p', { class: 'hint' }, T('webapp.overview.more', m.behindCount - m.behind.length)));
      }
      parts.push(section(T('webapp.overview.behind', m.behindCount), h('div', { class: 'list', id: 'behind' }, rows)));
    }
    if (ov.milestones.length > 1) {
      parts.push(section(T('webapp.overview.milestones'), h('div', { class: 'list', id: 'milestones' },
        ov.milestones.map((x, i) => i === v.selected ? null : card(x, i)))));
    }
    setMain(...parts);
  }

  function openScope(scope) {
    const [role, code] = scope.split(':');
    if (role === 'commune') {
      open({ view: 'commune', code: code });
    } else {
      open({ view: 'overview', scope: scope });
    }
  }

  // ---- a commune ----

  async function renderCommune(v) {
    loading();
    let c;
    try {
      c = await api('commune?code=' + encodeURIComponent(v.code));
    } catch (err) {
      return showError(err, () => render());
    }
    setTitle(c.name);
    const parts = [h('div', { class: 'head' }, h('h2', {}, c.name), h('p', { class: 'hint' }, c.district))];
    if (v.saved) {
      parts.push(h('div', { class: 'message ok', id: 'saved' }, v.saved));
      v.saved = '';
    }
    parts.push(h('button', { class: 'btn', type: 'button', id: 'open-report', onclick: () => open({ view: 'report', code: c.code }) }, T('webapp.commune.report')));
    parts.push(section(T('webapp.commune.posts'), c.posts.length === 0 ? h('p', { class: 'empty' }, T('webapp.commune.no_posts')) :
      h('div', { class: 'list', id: 'posts' }, c.posts.map((p) => h('div', { class: 'row post', 'data-post': p.kind + '/' + p.slot },
        h('div', { class: 'line' }, h('span', { class: 'name' }, p.name), h('span', { class: 'badge ' + p.status }, p.statusText)),
        p.holder ? h('div', { class: 'note' }, p.since ? T('webapp.commune.holder_since', p.holder, p.since) : p.holder) : null)))));
    if (c.milestones.length > 0) {
      parts.push(section(T('webapp.commune.milestones'), h('div', { class: 'list' }, c.milestones.map((m) => h('div', { class: 'row' },
        h('div', { class: 'line' }, h('span', { class: 'name' }, m.title), h('span', { class: 'num' }, m.deadline)),
        h('div', { class: 'note ' + (m.done ? 'ok' : 'bad') }, m.note))))));
    }
    parts.push(section(T('webapp.commune.history'), c.history.length === 0 ? h('p', { class: 'empty' }, T('webapp.commune.no_history')) :
      h('div', { class: 'list', id: 'history' }, c.history.map((r) => h('div', { class: 'row' },
        h('div', { class: 'line' }, h('span', { class: 'name' }, r.post), h('span', { class: 'num' }, r.at)),
        h('div', {}, r.change),
        h('div', { class: 'note' }, r.by),
        r.check ? h('div', { class: 'note' }, r.decision ? T('webapp.history.decision', r.decision, r.check) : T('webapp.history.no_decision', r.check)) : null,
        r.standards ? h('div', { class: 'note' }, T('webapp.report.standards_note', r.standards)) : null)))));
    setMain(...parts);
  }

  // ---- the report form: every post of the commune on one screen ----

  async function renderReport(v) {
    if (!v.commune) {
      loading();
      try {
        v.commune = await api('commune?code=' + encodeURIComponent(v.code));
      } catch (err) {
        return showError(err, () => render());
      }
      v.rows = v.commune.posts.map((p) => ({
        kind: p.kind, slot: p.slot, name: p.name, status: p.status, holder: p.holder, since: p.since,
        seen: { status: p.status, holder: p.holder, since: p.since },
      }));
    }
    if (v.confirm) { return renderConfirm(v); }
    const c = v.commune;
    setTitle(T('webapp.report.title'));
    const form = h('form', { id: 'report-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); review(v); } });
    v.rows.forEach((row, i) => form.append(reportRow(v, row, i)));
    const adds = c.kinds.filter((k) => k.kind !== 'chief' || !v.rows.some((r) => r.kind === 'chief'))
      .map((k) => h('button', { type: 'button', class: 'btn small secondary', 'data-add': k.kind, onclick: () => addRow(v, k) }, T('webapp.report.add', k.name)));
    setMain(
      h('div', { class: 'head' }, h('h2', {}, c.name), h('p', { class: 'hint' }, T('webapp.report.intro'))),
      v.error ? h('div', { class: 'message bad', id: 'error' }, v.error) : null,
      section(null, form, h('div', {}, adds)),
      h('button', { class: 'btn', type: 'button', id: 'review', onclick: () => review(v) }, T('webapp.report.review')));
  }

  function addRow(v, kind) {
    const last = v.rows.filter((r) => r.kind === kind.kind).reduce((n, r) => Math.max(n, r.slot), 0);
    v.rows.push({ kind: kind.kind, slot: last + 1, name: T('webapp.report.new_post', kind.name, last + 1), status: 'regular', holder: '', since: '', seen: null });
    render();
  }

  function changed(row) {
    return !row.seen || row.status !== row.seen.status || row.holder.trim() !== row.seen.holder || (row.since || '') !== (row.seen.since || '');
  }

  function reportRow(v, row, i) {
    const id = 'p' + i;
    const fs = h('fieldset', { class: changed(row) ? 'changed' : '', 'data-post': row.kind + '/' + row.slot });
    fs.append(h('legend', {}, row.name));
    const seg = h('div', { class: 'seg', role: 'radiogroup' });
    for (const st of ['regular', 'semi', 'vacant']) {
      const input = h('input', { type: 'radio', name: id + '-status', value: st, checked: row.status === st });
      input.addEventListener('change', () => { row.status = st; render(); });
      seg.append(h('label', {}, input, h('span', {}, T('status.' + st))));
    }
    fs.append(seg);
    const holder = h('input', { type: 'text', name: id + '-holder', value: row.status === 'vacant' ? '' : row.holder, disabled: row.status === 'vacant', autocomplete: 'off', placeholder: T('webapp.report.holder_hint') });
    holder.addEventListener('input', () => { row.holder = holder.value; fs.classList.toggle('changed', changed(row)); });
    const since = h('input', { type: 'text', name: id + '-since', value: row.status === 'vacant' ? '' : row.since, disabled: row.status === 'vacant', inputmode: 'numeric', placeholder: T('webapp.report.date_hint') });
    since.addEventListener('input', () => { row.since = since.value; fs.classList.toggle('changed', changed(row)); });
    fs.append(h('div', { class: 'two' },
      h('label', { class: 'field' }, h('span', {}, T('webapp.report.holder')), holder),
      h('label', { class: 'field' }, h('span', {}, T('webapp.report.since')), since)));
    if (row.status === 'regular') {
      // The appointment decision behind a regular holder, both optional.
      const no = h('input', { type: 'text', name: id + '-decision_no', value: row.decisionNo || '', autocomplete: 'off', placeholder: T('webapp.report.decision_no_hint') });
      no.addEventListener('input', () => { row.decisionNo = no.value; fs.classList.toggle('changed', changed(row)); });
      const day = h('input', { type: 'text', name: id + '-decision_date', value: row.decisionDate || '', inputmode: 'numeric', placeholder: T('webapp.report.date_hint') });
      day.addEventListener('input', () => { row.decisionDate = day.value; fs.classList.toggle('changed', changed(row)); });
      fs.append(h('div', { class: 'two' },
        h('label', { class: 'field' }, h('span', {}, T('webapp.report.decision_no')), no),
        h('label', { class: 'field' }, h('span', {}, T('webapp.report.decision_date')), day)));
      // The holder's standards, each optional: the chat's vocabulary,
      // free text beside the usual values for training and qualification.
      const std = v.commune.standards;
      const rank = h('select', { name: id + '-rank' }, h('option', { value: '' }, T('webapp.report.rank_none')),
        std.ranks.map((r) => h('option', { value: r.code, selected: r.code === row.rank }, r.name)));
      rank.addEventListener('change', () => { row.rank = rank.value; });
      const free = (field, values) => {
        const input = h('input', { type: 'text', name: id + '-' + field, value: row[field] || '', autocomplete: 'off', list: id + '-std-' + field, placeholder: T('webapp.report.' + field + '_hint') });
        input.addEventListener('input', () => { row[field] = input.value; });
        return [input, h('datalist', { id: id + '-std-' + field }, values.map((x) => h('option', { value: x })))];
      };
      fs.append(h('label', { class: 'field' }, h('span', {}, T('webapp.report.rank')), rank),
        h('div', { class: 'two' },
          h('label', { class: 'field' }, h('span', {}, T('webapp.report.training')), ...free('training', std.training)),
          h('label', { class: 'field' }, h('span', {}, T('webapp.report.qualification')), ...free('qualification', std.qualifications))));
    }
    for (const e of (v.fieldErrors || []).filter((e) => e.row === (v.sent || []).indexOf(row))) {
      fs.append(h('p', { class: 'error' }, e.message));
    }
    return fs;
  }

  function submission(v) {
    const rows = v.rows.filter(changed);
    v.sent = rows;
    return {
      commune: v.commune.code,
      posts: rows.map((r) => ({
        kind: r.kind, slot: r.slot, status: r.status,
        holder: r.status === 'vacant' ? '' : r.holder, since: r.status === 'vacant' ? '' : (r.since || ''),
        decision_no: r.status === 'regular' ? (r.decisionNo || '') : '', decision_date: r.status === 'regular' ? (r.decisionDate || '') : '',
        rank: r.status === 'regular' ? (r.rank || '') : '', training: r.status === 'regular' ? (r.training || '') : '',
        qualification: r.status === 'regular' ? (r.qualification || '') : '',
        seen: r.seen ? { status: r.seen.status, holder: r.seen.holder } : null,
      })),
    };
  }

  async function review(v) {
    const body = submission(v);
    v.error = '';
    v.fieldErrors = [];
    if (body.posts.length === 0) {
      v.error = T('webapp.error.no_change');
      return render();
    }
    try {
      const res = await api('report/check', body);
      v.changes = res.changes;
      v.body = body;
      v.confirm = true;
    } catch (err) {
      v.error = err.message;
      v.fieldErrors = err.fields;
    }
    render();
  }

  function renderConfirm(v) {
    setTitle(T('webapp.report.confirm_title'));
    const list = h('div', { class: 'list', id: 'changes' }, v.changes.map((c) => h('div', { class: 'change' },
      h('div', { class: 'name' }, c.post),
      h('div', {}, c.from, h('span', { class: 'arrow' }, ' → '), c.to),
      c.since ? h('div', { class: 'note' }, T('webapp.report.from_day', c.since)) : null,
      c.decision ? h('div', { class: 'note' }, T('webapp.report.decision_note', c.decision)) : null,
      c.standards ? h('div', { class: 'note' }, T('webapp.report.standards_note', c.standards)) : null)));
    const confirm = h('button', { class: 'btn', type: 'button', id: 'confirm' }, T('webapp.report.confirm'));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      try {
        const res = await api('report', v.body);
        open({ view: 'commune', code: v.commune.code, saved: res.message }, true);
      } catch (err) {
        v.confirm = false;
        v.error = err.message;
        v.fieldErrors = err.fields;
        if (err.status === 409) {
          // Someone changed the commune meanwhile: read it again.
          v.commune = null;
        }
        render();
      }
    });
    setMain(
      h('div', { class: 'head' }, h('h2', {}, v.commune.name), h('p', { class: 'hint' }, T('webapp.report.confirm_intro', v.changes.length))),
      section(null, list),
      confirm,
      h('button', { class: 'btn secondary', type: 'button', id: 'edit', onclick: () => { v.confirm = false; render(); } }, T('webapp.report.edit')));
  }

  // ---- users and invitations ----

  async function renderPeople(v) {
    let ppl = v.data;
    if (!ppl) {
      loading();
      try {
        ppl = v.data = await api('people');
      } catch (err) {
        return showError(err, () => render());
      }
    }
    setTitle(T('webapp.people.title'));
    const form = inviteForm(v, ppl);
    const invitations = ppl.invitations.length === 0 ? h('p', { class: 'empty' }, T('webapp.people.no_invitations')) :
      h('div', { class: 'list', id: 'invitations' }, ppl.invitations.map((inv) => invitationRow(v, inv)));
    setMain(
      h('div', { class: 'head' }, h('h2', {}, me.scopeName)),
      v.created ? createdCard(v.created) : null,
      v.message ? h('div', { class: 'message ok' }, v.message) : null,
      section(T('webapp.people.invite'), form),
      section(T('webapp.people.invitations', ppl.invitations.length), invitations),
      section(T('webapp.people.users', ppl.users.length), h('div', { class: 'list', id: 'users' }, ppl.users.map((u) => h('div', { class: 'row' },
        h('div', { class: 'name' }, u.name),
        h('div', { class: 'note' }, T('webapp.people.user_line', u.role, u.scope) + (u.gone ? ' · ' + T('webapp.people.gone') : '')))))));
    v.created = null;
    v.message = '';
  }

  function createdCard(inv) {
    const copy = h('button', { type: 'button', class: 'btn small secondary' }, T('webapp.people.copy'));
    copy.addEventListener('click', async () => {
      try { await navigator.clipboard.writeText(inv.link); toast(T('webapp.people.copied')); } catch (e) { toast(inv.link); }
    });
    return h('div', { class: 'message ok', id: 'created' },
      h('div', { class: 'name' }, T('webapp.people.created', inv.name || inv.role, inv.scope)),
      h('div', { class: 'code' }, inv.link),
      h('div', { class: 'note' }, T('webapp.people.expires', inv.expires)),
      copy);
  }

  function invitationRow(v, inv) {
    const row = h('div', { class: 'row', 'data-code': inv.code },
      h('div', { class: 'line' }, h('span', { class: 'name' }, inv.name || T('webapp.people.unnamed')), h('span', { class: 'code' }, inv.code)),
      h('div', { class: 'note' }, T('webapp.people.user_line', inv.role, inv.scope)),
      h('div', { class: 'note' }, T('webapp.people.expires', inv.expires)));
    const revoke = h('button', { type: 'button', class: 'btn small danger' }, T('webapp.people.revoke'));
    revoke.addEventListener('click', () => {
      const sure = h('button', { type: 'button', class: 'btn small danger', 'data-sure': inv.code }, T('webapp.people.revoke_sure'));
      const no = h('button', { type: 'button', class: 'btn small secondary' }, T('webapp.action.cancel'));
      sure.addEventListener('click', async () => {
        sure.disabled = true;
        try {
          const res = await api('invitations/revoke', { code: inv.code });
          v.message = res.message;
          v.data = null;
        } catch (err) {
          toast(err.message);
        }
        render();
      });
      no.addEventListener('click', () => render());
      revoke.replaceWith(h('span', {}, sure, no));
    });
    row.append(revoke);
    return row;
  }

  function inviteForm(v, ppl) {
    const d = v.draft || (v.draft = { name: '', role: ppl.roles[0].code, district: '', commune: '', unit: '' });
    const name = h('input', { type: 'text', id: 'invite-name', value: d.name, autocomplete: 'off', placeholder: T('webapp.report.holder_hint') });
    name.addEventListener('input', () => { d.name = name.value; });
    const role = h('select', { id: 'invite-role' }, ppl.roles.map((r) => h('option', { value: r.code, selected: r.code === d.role }, r.name)));
    role.addEventListener('change', () => { d.role = role.value; render(); });
    const parts = [h('label', { class: 'field' }, h('span', {}, T('webapp.people.name')), name),
      h('label', { class: 'field' }, h('span', {}, T('webapp.people.role')), role)];
    if (d.role === 'unit') {
      const unit = h('select', { id: 'invite-unit' }, h('option', { value: '' }, T('webapp.people.pick')),
        ppl.units.map((x) => h('option', { value: x.code, selected: x.code === d.unit }, x.name)));
      unit.addEventListener('change', () => { d.unit = unit.value; });
      parts.push(h('label', { class: 'field' }, h('span', {}, T('webapp.people.unit')), unit));
    } else if (d.role !== 'province' && ppl.districts.length > 1) {
      const district = h('select', { id: 'invite-district' }, h('option', { value: '' }, T('webapp.people.pick')),
        ppl.districts.map((x) => h('option', { value: x.code, selected: x.code === d.district }, x.name)));
      district.addEventListener('change', () => { d.district = district.value; d.commune = ''; d.communes = null; render(); });
      parts.push(h('label', { class: 'field' }, h('span', {}, T('webapp.people.district')), district));
    } else if (ppl.districts.length === 1) {
      d.district = ppl.districts[0].code;
    }
    if (d.role === 'commune' && d.district) {
      const commune = h('select', { id: 'invite-commune' }, h('option', { value: '' }, T('webapp.people.pick')),
        (d.communes || []).map((x) => h('option', { value: x.code, selected: x.code === d.commune }, x.name)));
      commune.addEventListener('change', () => { d.commune = commune.value; });
      parts.push(h('label', { class: 'field' }, h('span', {}, T('webapp.people.commune')), commune));
      if (!d.communes) {
        api('communes?district=' + encodeURIComponent(d.district)).then((list) => { d.communes = list; render(); }, (err) => toast(err.message));
      }
    }
    if (v.inviteError) {
      parts.push(h('p', { class: 'error', id: 'invite-error' }, v.inviteError));
      v.inviteError = '';
    }
    const send = h('button', { type: 'button', class: 'btn', id: 'invite-send' }, T('webapp.people.send'));
    send.addEventListener('click', async () => {
      send.disabled = true;
      try {
        v.created = await api('invitations', { name: d.name, role: d.role, district: d.district, commune: d.commune, unit: d.unit });
        v.draft = null;
        v.data = null;
      } catch (err) {
        v.inviteError = err.fields.length > 0 ? err.fields.map((f) => f.message).join(' ') : err.message;
      }
      render();
    });
    parts.push(send);
    return h('div', {}, parts);
  }

  // ---- start ----

  async function start() {
    applyTheme(launch.theme);
    listenTelegram();
    $('back').addEventListener('click', goBack);
    try {
      await loadTexts(initDataLang() || 'vi');
    } catch (e) {
      return;
    }
    if (!launch.initData) {
      return showError(new APIError(401, { error: 'no_telegram', message: T('webapp.error.no_telegram') }));
    }
    try {
      me = await api('me');
    } catch (err) {
      // Refused logins need Telegram, not another try.
      return showError(err, err.status === 401 || err.status === 403 ? null : () => start());
    }
    if (me.lang !== lang) { await loadTexts(me.lang); }
    let first;
    if (me.role === 'commune') {
      first = { view: 'commune', code: me.scope.split(':')[1] };
    } else {
      first = { view: 'overview', scope: me.scope };
    }
    stack = [first];
    render();
  }

  start();
})();
