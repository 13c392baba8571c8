// The explore page: every view asks the server's JSON API (server.py) for
// the model's decodings and encodings and draws them on canvases. No
// library and no network beyond this server.
"use strict";

const SIDE = 28;
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const MARGIN = 44;

// What the page knows; tests and users' scripts read it as window.explore.
const state = {
  ready: false, model: null, latent: null, base: null, picks: [],
  lastCode: null, latencies: [], drawnPoint: null, pad: new Float32Array(SIDE * SIDE),
  style: null, digit: 0, game: null,
};
window.explore = state;

const $ = (id) => document.getElementById(id);

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body)};
  const response = await fetch(path, options);
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

function showError(error) {
  $("error").hidden = false;
  $("error").textContent = String(error.message || error);
}

// One 28x28 image (784 values in 0..1) drawn at (x, y), `scale` pixels a pixel.
function drawImage(canvas, pixels, x = 0, y = 0, scale = canvas.width / SIDE) {
  const tile = document.createElement("canvas");
  tile.width = tile.height = SIDE;
  const data = tile.getContext("2d").createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const grey = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    data.data.set([grey, grey, grey, 255], 4 * i);
  }
  tile.getContext("2d").putImageData(data, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(tile, x, y, SIDE * scale, SIDE * scale);
}

function drawRow(canvas, images) {
  const scale = canvas.height / SIDE;
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  images.forEach((image, i) => drawImage(canvas, image, i * SIDE * scale, 0, scale));
}

// A request that follows the pointer: one at a time, the newest waiting.
function follower(send) {
  let busy = false, waiting = null;
  async function run(job) {
    busy = true;
    try { await send(job); } catch (error) { showError(error); }
    busy = false;
    if (waiting) { const next = waiting; waiting = null; run(next); }
  }
  return (job) => { if (busy) waiting = job; else run(job); };
}

// ---- the latent map ----
function toCanvas(point) {
  const size = $("latent-map").width - 2 * MARGIN, limit = state.latent.limit;
  return [MARGIN + (point[0] + limit) / (2 * limit) * size,
          MARGIN + (limit - point[1]) / (2 * limit) * size];
}

function fromCanvas(x, y) {
  const size = $("latent-map").width - 2 * MARGIN, limit = state.latent.limit;
  return [(x - MARGIN) / size * 2 * limit - limit,
          limit - (y - MARGIN) / size * 2 * limit];
}

// z of a point of the plane, through the map's projection; for the
// conditional model followed by the chosen digit's one-hot class.
function planeToCode(point) {
  const {mean, components} = state.latent;
  const z = mean.map((m, k) => m + point[0] * components[0][k] + point[1] * components[1][k]);
  return state.model.has_labels ? z.concat(oneHot(state.digit)) : z;
}

function codeToPlane(z) {
  const {mean, components} = state.latent;
  return components.map((c) => c.reduce((sum, ck, k) => sum + ck * (z[k] - mean[k]), 0));
}

function oneHot(digit) {
  return Array.from({length: 10}, (_, k) => (k === digit ? 1 : 0));
}

function drawBase() {
  const map = $("latent-map");
  const base = document.createElement("canvas");
  base.width = map.width; base.height = map.height;
  const context = base.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, base.width, base.height);
  const {points, labels, limit, axis_names} = state.latent;
  points.forEach((point, i) => {
    const [x, y] = toCanvas(point);
    context.fillStyle = COLOURS[labels[i] % 10];
    context.fillRect(x - 1, y - 1, 2.5, 2.5);
  });
  context.strokeStyle = "#888";
  context.strokeRect(MARGIN, MARGIN, map.width - 2 * MARGIN, map.height - 2 * MARGIN);
  context.fillStyle = "#333";
  context.font = "12px sans-serif";
  context.textAlign = "center";
  for (const value of [-limit, 0, limit]) {
    const [x] = toCanvas([value, 0]), [, y] = toCanvas([0, value]);
    context.fillText(String(value), x, map.height - MARGIN + 16);
    context.fillText(String(value), MARGIN - 18, y + 4);
  }
  context.fillText(axis_names[0], map.width / 2, map.height - 8);
  context.save();
  context.translate(12, map.height / 2);
  context.rotate(-Math.PI / 2);
  context.fillText(axis_names[1], 0, 0);
  context.restore();
  state.base = base;
  $("legend").innerHTML = "";
  state.model.class_names.forEach((name, k) => {
    const item = document.createElement("li");
    item.innerHTML = `<span style="background:${COLOURS[k]}"></span>`;
    item.append(name);
    $("legend").append(item);
  });
}

function drawMap(hover) {
  const context = $("latent-map").getContext("2d");
  context.drawImage(state.base, 0, 0);
  const ring = (point, colour, radius) => {
    const [x, y] = toCanvas(point);
    context.strokeStyle = colour; context.lineWidth = 2;
    context.beginPath(); context.arc(x, y, radius, 0, 2 * Math.PI); context.stroke();
  };
  state.picks.forEach((point) => ring(point, "#000", 6));
  if (state.drawnPoint) ring(state.drawnPoint, "#d00", 9);
  if (hover) ring(hover, "#555", 3);
}

const decodeUnderPointer = follower(async ({code, start}) => {
  const {images} = await api("/api/decode", {codes: [code]});
  drawImage($("decoded"), images[0]);
  state.lastCode = code;
  state.latencies.push(performance.now() - start);
});

function onMapMove(event) {
  const start = performance.now();
  const point = fromCanvas(event.offsetX, event.offsetY);
  drawMap(point);
  decodeUnderPointer({code: planeToCode(point), start});
  $("decoded-caption").textContent = `(${point[0].toFixed(2)}, ${point[1].toFixed(2)})` +
    (state.model.has_labels ? ` with the digit ${state.digit}` : "");
}

async function onMapClick(event) {
  if (state.picks.length === 2) state.picks = [];
  state.picks.push(fromCanvas(event.offsetX, event.offsetY));
  drawMap();
  if (state.picks.length < 2) {
    $("interpolation-caption").textContent = "now click a second point";
    return;
  }
  const [a, b] = state.picks.map(planeToCode);
  const codes = Array.from({length: 10}, (_, i) => a.map((v, k) => v + (b[k] - v) * i / 9));
  const {images} = await api("/api/decode", {codes});
  drawRow($("interpolation"), images);
  $("interpolation-caption").textContent = "from the first point to the second";
}

// ---- the blog's noise slider ----
const drawVariations = follower(async () => {
  const index = Number($("digit-index").value);
  const std_noise = Number($("std-noise").value);
  $("std-noise-value").textContent = std_noise.toFixed(2);
  const answer = await api("/api/vary", {index, std_noise, n: 25, seed: 0});
  drawImage($("noise-original"), answer.image);
  const canvas = $("variations"), scale = canvas.width / (5 * SIDE);
  answer.images.forEach((image, i) =>
    drawImage(canvas, image, (i % 5) * SIDE * scale, Math.floor(i / 5) * SIDE * scale, scale));
  state.variations = answer.images;
});

function setUpNoise() {
  $("noise-view").hidden = false;
  for (const {index, label} of state.model.digits) {
    const option = document.createElement("option");
    option.value = index;
    option.textContent = `${index}: ${state.model.class_names[label]}`;
    $("digit-choice").append(option);
  }
  if (state.model.digits.length) $("digit-index").value = state.model.digits[0].index;
  $("digit-index").max = state.model.n_test - 1;
  $("digit-choice").addEventListener("change", () => {
    $("digit-index").value = $("digit-choice").value; drawVariations();
  });
  $("digit-index").addEventListener("change", () => drawVariations());
  $("std-noise").addEventListener("input", () => drawVariations());
  drawVariations();
}

// ---- the conditional model's digits ----
function randomNormal() {
  const u = 1 - Math.random(), v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

async function drawStyle() {
  const codes = Array.from({length: 10}, (_, k) => state.style.concat(oneHot(k)));
  const {images} = await api("/api/decode", {codes});
  drawRow($("conditioned"), images);
  drawImage($("decoded"), images[state.digit]);
  $("decoded-caption").textContent = `the digit ${state.digit} in this handwriting`;
  state.drawnDigit = images[state.digit];
  document.querySelectorAll("#digit-buttons button").forEach((button, k) =>
    button.classList.toggle("chosen", k === state.digit));
  state.style.forEach((value, k) => { $(`z-${k}`).value = value; });
}

function setUpConditional() {
  $("conditional-view").hidden = false;
  for (let k = 0; k < 10; k++) {
    const button = document.createElement("button");
    button.type = "button"; button.id = `digit-${k}`; button.textContent = k;
    button.addEventListener("click", () => { state.digit = k; drawStyle().catch(showError); });
    $("digit-buttons").append(button);
  }
  for (let k = 0; k < state.model.z_dim; k++) {
    const label = document.createElement("label");
    label.textContent = `z${k + 1} `;
    const slider = document.createElement("input");
    Object.assign(slider, {type: "range", min: -3, max: 3, step: 0.05, id: `z-${k}`});
    slider.addEventListener("input", () => {
      state.style[k] = Number(slider.value); drawStyle().catch(showError);
    });
    label.append(slider);
    $("z-sliders").append(label);
  }
  $("new-style").addEventListener("click", () => {
    state.style = Array.from({length: state.model.z_dim}, randomNormal);
    drawStyle().catch(showError);
  });
  state.style = Array.from({length: state.model.z_dim}, randomNormal);
  return drawStyle();
}

// ---- draw your own ----
function drawPad() {
  drawImage($("draw-pad"), state.pad);
}

function paint(event) {
  const pad = $("draw-pad"), scale = pad.width / SIDE;
  const x = event.offsetX / scale, y = event.offsetY / scale;
  for (let row = Math.floor(y - 2); row <= y + 2; row++) {
    for (let column = Math.floor(x - 2); column <= x + 2; column++) {
      if (row < 0 || column < 0 || row >= SIDE || column >= SIDE) continue;
      const distance = Math.hypot(column + 0.5 - x, row + 0.5 - y);
      const ink = Math.min(1, Math.max(0, 1.6 - distance));
      const i = row * SIDE + column;
      state.pad[i] = Math.max(state.pad[i], ink);
    }
  }
  drawPad();
  encodePad(Array.from(state.pad, (v) => Math.round(v * 1000) / 1000));
}

const encodePad = follower(async (pixels) => {
  const answer = await api("/api/encode", {images: [pixels]});
  const means = answer.means[0];
  state.drawnPoint = codeToPlane(means);
  drawMap();
  const code = state.model.has_labels ? means.concat(answer.probabilities[0]) : means;
  const {images} = await api("/api/decode", {codes: [code]});
  drawImage($("draw-reconstruction"), images[0]);
  if (answer.probabilities) {
    state.drawnProbabilities = answer.probabilities[0];
    $("draw-probabilities").innerHTML = answer.probabilities[0].map((p, k) =>
      `<div>${k} <span style="width:${Math.round(p * 120)}px"></span> ${p.toFixed(2)}</div>`).join("");
  }
});

function setUpPad() {
  let down = false;
  const pad = $("draw-pad");
  pad.addEventListener("pointerdown", (event) => {
    down = true; pad.setPointerCapture(event.pointerId); paint(event);
  });
  pad.addEventListener("pointermove", (event) => { if (down) paint(event); });
  pad.addEventListener("pointerup", () => { down = false; });
  $("clear-pad").addEventListener("click", () => {
    state.pad.fill(0); state.drawnPoint = null; drawPad(); drawMap();
    $("draw-reconstruction").getContext("2d").clearRect(0, 0, 112, 112);
    $("draw-probabilities").innerHTML = "";
  });
  drawPad();
}

// ---- human or machine? ----
async function newGame() {
  const answer = await api("/api/human_or_machine", {n: 16, seed: Math.floor(Math.random() * 1e9)});
  state.game = {machine: answer.machine, marked: answer.machine.map(() => false)};
  const grid = $("human-or-machine");
  grid.innerHTML = "";
  $("hom-score").textContent = "";
  answer.images.forEach((image, i) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 56;
    canvas.id = `hom-${i}`;
    drawImage(canvas, image);
    canvas.addEventListener("click", () => {
      state.game.marked[i] = !state.game.marked[i];
      canvas.classList.toggle("marked", state.game.marked[i]);
    });
    grid.append(canvas);
  });
}

function checkGame() {
  const {machine, marked} = state.game;
  const right = machine.filter((drawn, i) => drawn === marked[i]).length;
  machine.forEach((drawn, i) => $(`hom-${i}`).classList.toggle("machine", drawn));
  $("hom-score").textContent = `You got ${right} of ${machine.length} right ` +
    `(the dashed ones were drawn by the model).`;
  state.game.right = right;
}

// ---- the model, and a newer one while training goes on ----
function describe() {
  const m = state.model;
  $("model-info").textContent = `${m.model} model on ${m.dataset}, epoch ${m.epoch}, ` +
    `z in ${m.z_dim} dimensions (${m.checkpoint})`;
}

async function watch() {
  try {
    const model = await api("/api/model");
    if (model.epoch !== state.model.epoch || model.checkpoint !== state.model.checkpoint) {
      state.model = model;
      state.latent = await api("/api/latent");
      describe(); drawBase(); drawMap();
      if (model.has_labels) await drawStyle(); else drawVariations();
    }
  } catch (error) { /* the server may be restarting: try again later */ }
}

async function start() {
  state.model = await api("/api/model");
  state.latent = await api("/api/latent");
  describe(); drawBase(); drawMap();
  const map = $("latent-map");
  map.addEventListener("mousemove", onMapMove);
  map.addEventListener("click", (event) => onMapClick(event).catch(showError));
  if (state.model.has_labels) await setUpConditional(); else setUpNoise();
  setUpPad();
  $("hom-check").addEventListener("click", checkGame);
  $("hom-new").addEventListener("click", () => newGame().catch(showError));
  await newGame();
  setInterval(watch, 2000);
  state.ready = true;
}

start().catch(showError);
