'use strict';

// The tutorial's hyperparameters, the same defaults the service applies.
const DEFAULTS = {
  softmax: { steps: 1000, batchSize: 100, optimizer: 'gradient-descent', learningRate: 0.5, keepProb: 1, logEvery: 100, checkpointEvery: 0 },
  cnn: { steps: 20000, batchSize: 50, optimizer: 'adam', learningRate: 0.0001, keepProb: 0.5, logEvery: 100, checkpointEvery: 1000 }
};
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const $ = (id) => document.getElementById(id);
const app = { charts: {}, job: null, events: null, models: [] };
window.deepMnist = app;

function showError(message) {
  $('error-text').textContent = message;
  $('error').hidden = false;
}

/** Calls the API; a refusal throws with the problem detail's message. */
async function api(method, url, body, contentType) {
  const headers = {};
  if (contentType) headers['Content-Type'] = contentType;
  const response = await fetch(url, { method, headers, body });
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const detail = payload && (payload.detail || payload.title);
    throw new Error(detail || `${method} ${url} answered ${response.status}`);
  }
  return payload;
}

async function attempt(action) {
  try {
    return await action();
  } catch (e) {
    showError(e.message);
    return null;
  }
}

/* ---------- draw and predict ---------- */

function setUpPad() {
  const pad = $('pad');
  const ctx = pad.getContext('2d');
  const clear = () => { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, pad.width, pad.height); };
  clear();
  let drawing = false;
  const point = (e) => {
    const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
  };
  pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    pad.setPointerCapture(e.pointerId);
    ctx.lineWidth = 20; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#111';
    const [x, y] = point(e);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 0.1, y + 0.1); ctx.stroke();
  });
  pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y); ctx.stroke();
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    pad.toBlob((blob) => predict(blob, 'image/png'), 'image/png');
  };
  pad.addEventListener('pointerup', finish);
  pad.addEventListener('pointercancel', finish);
  $('clear').addEventListener('click', () => { clear(); resetAnswer(); });
  $('feedback-send').addEventListener('click', sendFeedback);
  $('upload').addEventListener('change', (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const form = new FormData();
    form.append('image', file);
    predict(form, null);
  });
}

function predictUrl() {
  const model = $('model-picker').value;
  return (model ? `/models/${encodeURIComponent(model)}/predict` : '/predict') + '?explain=true';
}

async function predict(body, contentType) {
  const answer = await attempt(() => api('POST', predictUrl(), body, contentType));
  if (answer) showAnswer(answer);
}

function resetAnswer() {
  $('digit').textContent = '–';
  $('confidence').textContent = '';
  $('answered-by').textContent = '';
  $('feedback').hidden = true;
  app.predictionId = null;
  $('probabilities').replaceChildren();
  app.charts.probabilities.data.datasets[0].data = new Array(10).fill(0);
  app.charts.probabilities.update('none');
  $('seen').getContext('2d').clearRect(0, 0, 28, 28);
}

function showAnswer(answer) {
  const p = answer.predictions[0];
  $('digit').textContent = p.digit;
  $('confidence').textContent = `(${(p.confidence * 100).toFixed(1)}% sure)`;
  $('answered-by').textContent = `answered by model ${answer.modelId}`;
  app.predictionId = p.predictionId || null;
  $('feedback').hidden = !app.predictionId;
  $('feedback-said').textContent = '';
  $('feedback-digit').value = String(p.digit);
  $('probabilities').replaceChildren(...p.probabilities.map((v, d) => {
    const li = document.createElement('li');
    li.textContent = `${d}: ${(v * 100).toFixed(2)}%`;
    return li;
  }));
  app.charts.probabilities.data.datasets[0].data = p.probabilities;
  app.charts.probabilities.update('none');
  if (answer.inputs) {
    const image = new ImageData(28, 28);
    answer.inputs[0].forEach((v, i) => {
      const g = Math.round(v * 255);
      image.data.set([g, g, g, 255], i * 4);
    });
    $('seen').getContext('2d').putImageData(image, 0, 0);
  }
}

/* A corrected label for the last answer: it counts in the model's live accuracy (GET /models/{id}/feedback). */
async function sendFeedback() {
  if (!app.predictionId) return;
  const digit = Number($('feedback-digit').value);
  const said = await attempt(() => api('POST', `/predictions/${app.predictionId}/feedback`,
      JSON.stringify({ digit }), 'application/json'));
  if (said) {
    $('feedback-said').textContent = `Thank you: recorded as a ${said.label}.`;
    refreshSoon();
  }
}

async function loadModels() {
  const models = await attempt(() => api('GET', '/models'));
  if (!models) return;
  app.models = models;
  const picker = $('model-picker');
  const chosen = picker.value;
  const options = [new Option('default model', '')];
  for (const m of models) {
    const accuracy = m.testAccuracy == null ? '' : `, ${m.testAccuracy.toFixed(4)}`;
    options.push(new Option(`${m.id} (${m.model}${accuracy})${m.isDefault ? ' · default' : ''}`, m.id));
  }
  picker.replaceChildren(...options);
  picker.value = models.some((m) => m.id === chosen) ? chosen : '';
}

/* ---------- models: versions, aliases, split, agreement, labelled accuracy ---------- */

const pct = (x) => (x == null ? '–' : `${(100 * x).toFixed(1)} %`);

async function refreshModelsView() {
  const [models, traffic, shadow] = await Promise.all([api('GET', '/models'), api('GET', '/models/traffic'),
    api('GET', '/models/traffic/shadow')]);
  const shown = models.slice(0, 8);
  const feedback = await Promise.all(shown.map((m) => api('GET', `/models/${m.id}/feedback`)));
  const history = await Promise.all(shown.map((m) => api('GET', `/models/${m.id}/feedback/history?bucket=hour`)));
  const weight = {};
  for (const r of traffic.routes) weight[r.alias] = r.weight;
  const rows = shown.map((m, i) => {
    const share = m.aliases.reduce((sum, a) => sum + (weight[a] || 0), 0);
    const f = feedback[i];
    const labelled = f.labelled ? `${pct(f.accuracy)} of ${f.labelled} (${pct(f.interval95[0])}–${pct(f.interval95[1])})` : 'no labels yet';
    const pairs = shadow.pairs.filter((a) => a.shadowModelId === m.id);
    const agreement = pairs.length ? pairs.map((a) => `${pct(a.agreement)} of ${a.compared}`).join(', ') : '';
    const tr = document.createElement('tr');
    tr.dataset.model = m.id;
    for (const text of [m.version, `${m.id} (${m.model})`, m.aliases.join(', '), share ? `${share} %` : '',
      m.testAccuracy == null ? '' : m.testAccuracy.toFixed(4), labelled, agreement, m.parentModelId || '']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $('models-table').tBodies[0].replaceChildren(...rows);
  const routes = traffic.routes.map((r) => `${r.alias} ${r.weight} %`).join(', ');
  const rule = traffic.autoPromote ? `; autoPromote after ${traffic.autoPromote.minLabels ?? 200} labels each` : '';
  $('traffic-line').textContent = `Traffic of /predict: ${routes}${traffic.stickyHeader ? `, sticky by ${traffic.stickyHeader}` : ''}`
    + `${traffic.shadow ? `; shadow ${traffic.shadow}` : ''}${rule}.`;
  const chart = app.charts.feedback;
  chart.data.datasets = history.filter((h) => h.points.length).map((h) => ({
    label: h.modelId, pointRadius: 3, data: h.points.map((p) => ({ x: Date.parse(p.from), y: p.accuracy }))
  }));
  chart.update();
}

function followModelEvents() {
  const list = $('model-events');
  const source = new EventSource('/models/events');
  const describe = (type, d) => {
    if (type === 'alias') return d.modelId ? `${d.alias} → ${d.modelId}` : `${d.alias} removed`;
    if (type === 'traffic') return d.policy ? `traffic: ${d.policy.routes.map((r) => `${r.alias} ${r.weight} %`).join(', ')}` : 'traffic: all on default';
    return `${d.decision}: ${d.challenger.alias} ${pct(d.challenger.accuracy)} of ${d.challenger.labelled} against default `
      + `${pct(d.defaultModel.accuracy)} of ${d.defaultModel.labelled}, z = ${d.z.toFixed(2)}`;
  };
  for (const type of ['alias', 'traffic', 'decision']) {
    source.addEventListener(type, (e) => {
      const li = document.createElement('li');
      li.textContent = describe(type, JSON.parse(e.data));
      list.prepend(li);
      while (list.children.length > 50) list.lastChild.remove();
      refreshSoon();
    });
  }
}

let refreshTimer = null;
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { attempt(refreshModelsView); loadModels(); }, 300);
}

/* ---------- train and watch ---------- */

function fillDefaults() {
  const form = $('job-form');
  const d = DEFAULTS[form.model.value];
  for (const [name, value] of Object.entries(d)) form[name].value = value;
}

async function submitJob(e) {
  e.preventDefault();
  const form = $('job-form');
  const body = { model: form.model.value };
  for (const name of ['steps', 'batchSize', 'learningRate', 'keepProb', 'logEvery', 'checkpointEvery', 'seed']) {
    if (form[name].value !== '') body[name] = Number(form[name].value);
  }
  body.optimizer = form.optimizer.value;
  if (form.precision.value) body.precision = form.precision.value;
  body.promote = form.promote.checked;
  const job = await attempt(() => api('POST', '/jobs', JSON.stringify(body), 'application/json'));
  if (job) {
    await refreshJobs();
    select(job.id);
  }
}

async function refreshJobs() {
  const page = await attempt(() => api('GET', '/jobs?size=15'));
  if (!page) return;
  const rows = page.content.map((job) => {
    const tr = document.createElement('tr');
    tr.dataset.id = job.id;
    tr.tabIndex = 0;
    tr.className = job.id === app.job ? 'selected' : '';
    const progress = `<progress max="${job.totalSteps}" value="${job.step}" aria-label="${job.step} of ${job.totalSteps} steps"></progress> ${job.step}/${job.totalSteps}`;
    const device = (job.device || '').replace('/device:', '');
    const created = new Date(job.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    tr.innerHTML = `<td>${job.model}</td><td><span class="state ${job.state}">${job.state}</span></td><td>${progress}</td>`
      + `<td title="precision asked for: ${job.requestedPrecision}">${[device, job.precision].filter(Boolean).join(' ')}</td><td>${job.testAccuracy == null ? '' : job.testAccuracy.toFixed(4)}</td>`
      + `<td>${created}</td>`;
    tr.addEventListener('click', () => select(job.id));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(job.id); });
    return tr;
  });
  $('jobs').tBodies[0].replaceChildren(...rows);
}

function resetTrainingChart() {
  const chart = app.charts.training;
  chart.data.datasets.forEach((d) => { d.data = []; });
  chart.update('none');
}

async function showJob(id) {
  const job = await attempt(() => api('GET', `/jobs/${id}`));
  if (!job || id !== app.job) return;
  $('job-id').textContent = `${job.model} · ${job.id.slice(0, 8)}`;
  $('job-state').textContent = job.state;
  $('job-state').className = `state ${job.state}`;
  $('job-cancel').disabled = TERMINAL.includes(job.state);
  $('job-resume').disabled = !['CANCELLED', 'FAILED'].includes(job.state);
  const isDefault = (app.models || []).some((m) => m.id === job.modelId && m.isDefault);
  $('job-promote').disabled = !job.modelId || isDefault;
  $('job-promote').title = isDefault ? 'its model is already the default' : '';
  $('job-promote').dataset.model = job.modelId || '';
  const figures = [];
  if (job.validationAccuracy != null) figures.push(`validation accuracy ${job.validationAccuracy.toFixed(4)}`);
  if (job.testAccuracy != null) figures.push(`test accuracy ${job.testAccuracy.toFixed(4)}`);
  if (job.examplesPerSecond) figures.push(`${Math.round(job.examplesPerSecond)} images/s`);
  if (job.error) figures.push(`error: ${job.error}`);
  $('job-figures').textContent = figures.join(' · ');
  const checkpoints = job.checkpoints || [];
  $('job-checkpoints').textContent = checkpoints.length
    ? checkpoints.map((c) => `step ${c.step} (${(c.sizeBytes / 1e6).toFixed(1)} MB)`).join(', ') : 'none yet';
}

function select(id) {
  if (app.events) app.events.close();
  app.job = id;
  $('job-detail').hidden = false;
  resetTrainingChart();
  showJob(id);
  document.querySelectorAll('#jobs tbody tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.id === id));
  // EventSource replays the history first and reconnects by itself with Last-Event-ID.
  const events = new EventSource(`/jobs/${id}/events`);
  app.events = events;
  let closing = null;
  const touch = () => { if (closing) { clearTimeout(closing); closing = null; } };
  events.addEventListener('progress', (e) => {
    touch();
    const p = JSON.parse(e.data);
    const chart = app.charts.training;
    chart.data.datasets[0].data.push({ x: p.step, y: p.trainingAccuracy });
    chart.data.datasets[1].data.push({ x: p.step, y: p.loss });
    chart.update('none');
  });
  for (const type of ['checkpoint', 'evaluation']) {
    events.addEventListener(type, () => { touch(); showJob(id); });
  }
  events.addEventListener('state', (e) => {
    touch();
    const change = JSON.parse(e.data);
    showJob(id);
    refreshJobs();
    if (TERMINAL.includes(change.state)) {
      loadModels().then(() => showJob(id));
      // The service ends the stream after the final state; an older final state in the history is followed at once
      // by more events (the job was resumed), which keep the stream open.
      closing = setTimeout(() => events.close(), 1500);
    }
  });
}

async function jobAction(path) {
  const result = await attempt(() => api('POST', path));
  if (result) {
    await refreshJobs();
    select(app.job);
  }
}

function setUpCharts() {
  app.charts.feedback = new Chart($('feedback-chart'), {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false, maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: 'linear', ticks: { callback: (v) => new Date(v).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) } },
        y: { min: 0, max: 1, title: { display: true, text: 'labelled accuracy' } }
      }
    }
  });
  app.charts.probabilities = new Chart($('probabilities-chart'), {
    type: 'bar',
    data: { labels: [...Array(10).keys()].map(String), datasets: [{ label: 'probability', data: new Array(10).fill(0), backgroundColor: '#2457c5' }] },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } }, plugins: { legend: { display: false } } }
  });
  app.charts.training = new Chart($('training-chart'), {
    type: 'line',
    data: { datasets: [
      { label: 'training accuracy', data: [], borderColor: '#2457c5', yAxisID: 'y', pointRadius: 0 },
      { label: 'loss', data: [], borderColor: '#c26a00', yAxisID: 'loss', pointRadius: 0 }
    ] },
    options: {
      animation: false, maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { min: 0, max: 1, title: { display: true, text: 'accuracy' } },
        loss: { position: 'right', min: 0, title: { display: true, text: 'loss' }, grid: { drawOnChartArea: false } }
      }
    }
  });
}

document.addEventListener('DOMContentLoaded', () => {
  setUpCharts();
  setUpPad();
  fillDefaults();
  $('job-model').addEventListener('change', fillDefaults);
  $('job-form').addEventListener('submit', submitJob);
  $('error-close').addEventListener('click', () => { $('error').hidden = true; });
  $('job-cancel').addEventListener('click', () => jobAction(`/jobs/${app.job}/cancel`));
  $('job-resume').addEventListener('click', () => jobAction(`/jobs/${app.job}/resume`));
  $('job-promote').addEventListener('click', async () => {
    const model = $('job-promote').dataset.model;
    if (model && await attempt(() => api('POST', `/models/${model}/promote`))) {
      await loadModels();
      showJob(app.job);
    }
  });
  loadModels();
  refreshJobs();
  setInterval(refreshJobs, 2000);
  attempt(refreshModelsView);
  setInterval(() => attempt(refreshModelsView), 15000);
  followModelEvents();
});
