// The no-build TodoMVC's behaviour, as a classic script (no modules, no compiler): DOM events
// become `<ls-store>.commit(name, args)` calls; the `<ls-query>` elements do all rendering.
// Same behaviour as demo/main.ts. `?store=<id>` picks the store, `?sync=<ws url>` the sync server.
(function () {
  'use strict';
  var $ = function (s) { return document.querySelector(s); };
  var status = $('.status');
  if (typeof LS === 'undefined' || customElements.get('ls-store') === undefined) {
    status.textContent = 'dist/ls-elements.iife.js did not load: run `npm run build`, then reload.';
    return;
  }
  var params = new URLSearchParams(location.search);
  var storeEl = $('ls-store');
  var todosEl = $('#todos');
  var statsEl = $('#stats');
  var newTodo = $('.new-todo');
  var toggleAll = $('#toggle-all');
  if (params.has('store')) storeEl.setAttribute('store-id', params.get('store'));
  if (params.has('sync')) storeEl.setAttribute('sync-url', params.get('sync'));
  storeEl.toggleAttribute('reset-persistence', params.has('reset'));

  storeEl.addEventListener('ls-ready', function () {
    var s = storeEl.storage;
    status.textContent = 'Stored in ' + (s.storage === 'opfs' ? 'OPFS' : 'memory') + (s.isLeaderTab ? ', this tab runs the leader' : '') + '.';
  });
  storeEl.addEventListener('ls-error', function (e) {
    status.textContent = 'Error: ' + e.detail.error.message;
  });

  function commit(name, args) {
    storeEl.ready.then(function () { storeEl.commit(name, args); }).catch(function (err) { console.error('[demo] commit failed', err); });
  }

  newTodo.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || e.isComposing) return;
    var text = newTodo.value.trim();
    if (text === '') return;
    commit('todoCreated', { id: crypto.randomUUID(), text: text });
    newTodo.value = '';
  });
  todosEl.addEventListener('change', function (e) {
    var row = todosEl.rowFor(e.target);
    if (e.target.classList.contains('toggle') && row) commit(e.target.checked ? 'todoCompleted' : 'todoUncompleted', { id: row.id });
  });
  todosEl.addEventListener('click', function (e) {
    var row = todosEl.rowFor(e.target);
    if (e.target.classList.contains('destroy') && row) commit('todoDeleted', { id: row.id, deletedAt: new Date() });
  });
  todosEl.addEventListener('dblclick', function (e) {
    var label = e.target.closest('label');
    var li = label && label.closest('li');
    var row = todosEl.rowFor(label);
    if (li && row && !li.classList.contains('editing')) edit(li, row);
  });

  function edit(li, row) {
    var input = document.createElement('input');
    input.className = 'edit';
    input.setAttribute('aria-label', 'Edit todo');
    input.value = row.text;
    var done = false;
    function finish(save) {
      if (done) return;
      done = true;
      var text = input.value.trim();
      li.classList.remove('editing');
      input.remove();
      if (!save || text === row.text) return;
      if (text === '') commit('todoDeleted', { id: row.id, deletedAt: new Date() });
      else commit('todoTextEdited', { id: row.id, text: text });
    }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.isComposing) finish(true);
      else if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', function () { finish(true); });
    li.classList.add('editing');
    li.append(input);
    input.focus();
  }

  toggleAll.addEventListener('change', function () {
    var completed = toggleAll.checked;
    storeEl.ready.then(function (store) {
      var rows = store.query({ query: 'SELECT id FROM todos WHERE deletedAt IS NULL AND completed = ?', bindValues: [completed ? 0 : 1] });
      rows.forEach(function (r) { storeEl.commit(completed ? 'todoCompleted' : 'todoUncompleted', { id: r.id }); });
    });
  });
  $('.clear-completed').addEventListener('click', function () { commit('todoClearedCompleted', { deletedAt: new Date() }); });

  statsEl.addEventListener('ls-change', function () {
    var stats = (statsEl.rows && statsEl.rows[0]) || { total: 0, completed: 0, active: 0 };
    $('.main').hidden = stats.total === 0;
    $('.footer').hidden = stats.total === 0;
    $('.clear-completed').hidden = stats.completed === 0;
    toggleAll.checked = stats.total > 0 && stats.active === 0;
  });

  function applyFilter() {
    var hash = location.hash.replace(/^#\/?/, '');
    var filter = hash === 'active' || hash === 'completed' ? hash : 'all';
    todosEl.params = [filter];
    document.querySelectorAll('.filters a').forEach(function (a) { a.classList.toggle('selected', a.dataset.filter === filter); });
  }
  window.addEventListener('hashchange', applyFilter);
  applyFilter();
})();
