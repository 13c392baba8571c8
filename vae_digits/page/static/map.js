// The latent map: each test image's code is a dot, and the decoder draws
// the point under the cursor. A mouse, a pen or a finger moves the cursor,
// and so do the arrow keys; a mouse click, Enter or the "mark" button
// marks the two ends of an interpolation (a tap only moves the cursor).
"use strict";

const MARGIN = 44;
const KEY_STEPS = 40;  // arrow presses from one edge of the map to the other
const LABEL_PX = 13;   // the axes' labels, in CSS pixels, however small the map is shown

// ---- plain functions (tests/js/map.test.js) ----
// The map's plane, [-limit, limit] on both axes, in the square of a
// canvas `width` pixels wide inside its MARGIN (y up on the plane, down
// on the canvas), and back.
// Stryker disable next-line StringLiteral: the page's map, read only in the browser
function toCanvas(point, limit = state.latent.limit, width = $("latent-map").width) {
  const size = width - 2 * MARGIN;
  return [MARGIN + (point[0] + limit) / (2 * limit) * size,
          MARGIN + (limit - point[1]) / (2 * limit) * size];
}

// Stryker disable next-line StringLiteral: the page's map, read only in the browser
function fromCanvas(x, y, limit = state.latent.limit, width = $("latent-map").width) {
  const size = width - 2 * MARGIN;
  return [(x - MARGIN) / size * 2 * limit - limit,
          limit - (y - MARGIN) / size * 2 * limit];
}

// z of a point of the plane, through the map's projection (latent's mean
// and components); with a `digit` (the conditional model), followed by its
// one-hot class.
function planeToCode(point, latent = state.latent, digit = chosenDigit()) {
  const {mean, components} = latent;
  const z = mean.map((m, k) => m + point[0] * components[0][k] + point[1] * components[1][k]);
  return digit === null ? z : z.concat(oneHot(digit));
}

// The point of the plane of a code z (its projection).
function codeToPlane(z, latent = state.latent) {
  const {mean, components} = latent;
  return components.map((c) => c.reduce((sum, ck, k) => sum + ck * (z[k] - mean[k]), 0));
}

// `n` codes from a to b, both included, evenly apart.
function interpolate(a, b, n = 10) {
  return Array.from({length: n}, (_, i) => a.map((v, k) => v + (b[k] - v) * i / (n - 1)));
}

// A point kept on a canvas `width` pixels wide (its margins included).
function keepOnMap(point, limit, width) {
  const reach = limit * (1 + 2 * MARGIN / (width - 2 * MARGIN));
  return point.map((v) => Math.max(-reach, Math.min(reach, v)));
}

const ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1]};

// The cursor after an arrow key (`shift`: five steps), KEY_STEPS steps a side.
function arrowMove([x, y], key, shift, limit) {
  const step = 2 * limit / KEY_STEPS * (shift ? 5 : 1), [dx, dy] = ARROWS[key];
  return [x + dx * step, y + dy * step];
}

// The size, in a canvas's own pixels, of a font that shows `cssPx` CSS
// pixels tall on a canvas `width` pixels wide shown `shownWidth` wide
// (a phone shrinks the map), never smaller than on a canvas shown whole.
function fontSize(cssPx, width, shownWidth) {
  return Math.ceil(cssPx * Math.max(1, width / (shownWidth || width)));
}

// ---- the canvases and the page's events: the browser tests hold these
// (tests/test_explore_*.py); Node cannot run them ----
// Stryker disable all

function chosenDigit() {
  return state.model.has_labels ? state.digit : null;
}

function drawAxes(context, width, height, px) {
  const {limit, axis_names} = state.latent;
  context.strokeStyle = "#888";
  context.strokeRect(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN);
  context.fillStyle = "#333";
  context.font = `${px}px sans-serif`;
  // each end's label inside the end, so that the corners' two never meet
  for (const [value, align, lift] of [[-limit, "left", 0], [0, "center", 0.35], [limit, "right", 0.75]]) {
    const [x] = toCanvas([value, 0]), [, y] = toCanvas([0, value]);
    context.textAlign = align;
    context.fillText(String(value), x, height - MARGIN + 3 + 0.75 * px);
    context.textAlign = "right";
    context.fillText(String(value), MARGIN - 5, y + lift * px);
  }
  context.textAlign = "center";
  context.fillText(axis_names[0], width / 2, height - 5);
  context.save();
  context.translate(px, height / 2);
  context.rotate(-Math.PI / 2);
  context.fillText(axis_names[1], 0, 0);
  context.restore();
}

function drawBase() {
  const map = $("latent-map");
  const base = document.createElement("canvas");
  base.width = map.width; base.height = map.height;
  const context = base.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, base.width, base.height);
  const {points, labels} = state.latent;
  points.forEach((point, i) => {
    const [x, y] = toCanvas(point);
    context.fillStyle = COLOURS[labels[i] % 10];
    context.fillRect(x - 1, y - 1, 2.5, 2.5);
  });
  drawAxes(context, base.width, base.height, fontSize(LABEL_PX, map.width, map.clientWidth));
  state.base = base;
  $("legend").innerHTML = "";
  state.model.class_names.forEach((name, k) => {
    const item = document.createElement("li");
    item.innerHTML = `<span style="background:${COLOURS[k]}"></span>`;
    item.append(name);
    $("legend").append(item);
  });
}

function drawMap() {
  const context = $("latent-map").getContext("2d");
  context.drawImage(state.base, 0, 0);
  const ring = (point, colour, radius) => {
    const [x, y] = toCanvas(point);
    context.strokeStyle = colour; context.lineWidth = 2;
    context.beginPath(); context.arc(x, y, radius, 0, 2 * Math.PI); context.stroke();
  };
  state.ends.forEach((point) => ring(point, "#000", 6));
  if (state.drawnPoint) ring(state.drawnPoint, "#d00", 9);
  if (state.cursor) {
    const [x, y] = toCanvas(state.cursor);
    context.strokeStyle = "#000"; context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x - 8, y); context.lineTo(x + 8, y);
    context.moveTo(x, y - 8); context.lineTo(x, y + 8);
    context.stroke();
  }
}

// (a move's `start`: when the pointer moved, for the latencies)
const decodeAt = follower(async ({point, start}) => {
  const code = planeToCode(point);
  const [image] = await backend.decode([code]);
  drawImage($("decoded"), image);
  state.lastCode = code;
  if (start !== undefined) state.latencies.push(performance.now() - start);
});

// Before the first move: the map's centre decoded, and how to move on;
// in the strip, where the way between two marked points will show.
function showCentre() {
  state.cursor = [0, 0];
  drawMap();
  decodeAt({point: state.cursor});
  $("decoded-caption").textContent = "the map's centre: move over the map (a mouse, a " +
    "finger or the arrow keys) to decode another point";
  const strip = $("interpolation"), context = strip.getContext("2d");
  context.clearRect(0, 0, strip.width, strip.height);
  context.fillStyle = "#ccc";
  context.font = `${fontSize(LABEL_PX, strip.width, strip.clientWidth)}px sans-serif`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText("the way between two marked points shows here", strip.width / 2, strip.height / 2);
}

function decodeCursor(start = performance.now()) {
  const point = state.cursor;
  $("decoded-caption").textContent = `(${point[0].toFixed(2)}, ${point[1].toFixed(2)})` +
    (state.model.has_labels ? ` with the digit ${state.digit}` : "");
  decodeAt({point, start});
}

// The cursor to `point`, kept on the canvas, and its decoding.
function moveCursor(point, start) {
  state.cursor = keepOnMap(point, state.latent.limit, $("latent-map").width);
  drawMap();
  decodeCursor(start);
}

async function markEnd() {
  if (!state.cursor) return;
  if (state.ends.length === 2) state.ends = [];
  state.ends.push(state.cursor.slice());
  drawMap();
  if (state.ends.length < 2) {
    $("interpolation-caption").textContent = "now mark a second point";
    return;
  }
  const [a, b] = state.ends.map((end) => planeToCode(end));
  drawRow($("interpolation"), await backend.decode(interpolate(a, b)));
  $("interpolation-caption").textContent = "from the first marked point to the second";
}

function onMapKey(event) {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    markEnd().catch(showError);
  } else if (ARROWS[event.key]) {
    event.preventDefault();
    moveCursor(arrowMove(state.cursor || [0, 0], event.key, event.shiftKey, state.latent.limit));
  }
}

function setUpMap() {
  const map = $("latent-map");
  let pointerType = "mouse";
  const follow = (event) => {
    const start = performance.now();
    moveCursor(fromCanvas(...canvasPoint(map, event)), start);
  };
  map.addEventListener("pointerdown", (event) => { pointerType = event.pointerType; follow(event); });
  map.addEventListener("pointermove", follow);
  map.addEventListener("click", () => {
    if (pointerType === "mouse") markEnd().catch(showError);
  });
  map.addEventListener("keydown", onMapKey);
  map.addEventListener("focus", () => { if (!state.cursor) moveCursor([0, 0]); });
  $("mark-end").addEventListener("click", () => markEnd().catch(showError));
  window.addEventListener("resize", () => { drawBase(); drawMap(); });
}
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") {
  module.exports = {MARGIN, KEY_STEPS, toCanvas, fromCanvas, planeToCode, codeToPlane,
                    interpolate, keepOnMap, arrowMove, fontSize};
}
