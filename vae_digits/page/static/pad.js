// Draw your own: strokes of a mouse, pen or finger on the pad become a
// digit as MNIST made its digits: the drawing's bounding box scaled into
// 20 x 20 (keeping its aspect ratio), anti-aliased, and placed by its
// centre of mass in 28 x 28. The model encodes that normalised image.
"use strict";

const BOX = 20;            // MNIST's digits fill a 20 x 20 box of the 28 x 28
const INK_WIDTH = 3.0;     // a stroke's width, in pixels of that 28 x 28
const SUPERSAMPLE = 8;     // drawn 8x larger, then averaged: anti-aliased
const MIN_SPAN = 0.02;     // a dot is drawn as if it spanned 2% of the pad
const PAD_BRUSH = 0.09;    // the pad's own brush, as a part of its width
const MAX_POINTS = 5000;   // a drawing's points; moves beyond are not kept
const PAD_STEPS = 40;      // arrow presses across the pad (Shift: five at a time)
const PAD_ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};

// ---- plain functions (tests/js/pad.test.js) ----
// Ink the pixels of a size x size grid whose centres lie within r of the
// segment from a to b (a round pen; a == b: a dot).
function inkSegment(ink, size, [ax, ay], [bx, by], r) {
  const dx = bx - ax, dy = by - ay, length2 = dx * dx + dy * dy;
  const low = (v) => Math.max(0, Math.floor(v - r)), high = (v) => Math.min(size - 1, Math.ceil(v + r));
  for (let y = low(Math.min(ay, by)); y <= high(Math.max(ay, by)); y++) {
    for (let x = low(Math.min(ax, bx)); x <= high(Math.max(ax, bx)); x++) {
      const px = x + 0.5 - ax, py = y + 0.5 - ay;
      const t = length2 ? Math.min(1, Math.max(0, (px * dx + py * dy) / length2)) : 0;
      const ex = px - t * dx, ey = py - t * dy;
      if (ex * ex + ey * ey <= r * r) ink[y * size + x] = 1;
    }
  }
}

// The strokes (points in 0..1 of the pad) drawn with a round pen `width`
// pixels wide on a size x size grid, mapped by scale `k` and the offset:
// 1 where a pixel's centre is inked, else 0.
function rasterise(strokes, size, k, offsetX, offsetY, width) {
  const ink = new Uint8Array(size * size);
  for (const stroke of strokes) {
    const points = stroke.map(([x, y]) => [offsetX + k * x, offsetY + k * y]);
    points.forEach((a, i) => inkSegment(ink, size, a, points[Math.min(i + 1, points.length - 1)], width / 2));
  }
  return ink;
}

// Ink on a grid SUPERSAMPLE times finer averaged down to 784 values in 0..1.
function averaged(ink) {
  const big = SIDE * SUPERSAMPLE, pixels = new Float32Array(SIDE * SIDE);
  ink.forEach((v, i) => {
    pixels[Math.floor(i / big / SUPERSAMPLE) * SIDE + Math.floor(i % big / SUPERSAMPLE)] += v;
  });
  return pixels.map((v) => v / (SUPERSAMPLE * SUPERSAMPLE));
}

function centreOfMass(pixels) {
  let total = 0, x = 0, y = 0;
  pixels.forEach((v, i) => { total += v; x += v * (i % SIDE + 0.5); y += v * (Math.floor(i / SIDE) + 0.5); });
  return total ? [x / total, y / total] : [SIDE / 2, SIDE / 2];
}

// The drawing as an MNIST digit: 784 values in 0..1, or null if empty.
function normalise(strokes) {
  const points = strokes.flat();
  if (!points.length) return null;
  const [x0, x1, y0, y1] = points.reduce(([a, b, c, d], [x, y]) =>
    [Math.min(a, x), Math.max(b, x), Math.min(c, y), Math.max(d, y)],
  [Infinity, -Infinity, Infinity, -Infinity]);
  const k = (BOX - INK_WIDTH) / Math.max(x1 - x0, y1 - y0, MIN_SPAN);
  const draw = (cx, cy) => averaged(rasterise(
    strokes, SIDE * SUPERSAMPLE, k * SUPERSAMPLE, cx * SUPERSAMPLE, cy * SUPERSAMPLE,
    INK_WIDTH * SUPERSAMPLE));
  // the box centred, then moved so that the centre of mass is the centre
  const cx = SIDE / 2 - k * (x0 + x1) / 2, cy = SIDE / 2 - k * (y0 + y1) / 2;
  const [mx, my] = centreOfMass(draw(cx, cy));
  return draw(cx + SIDE / 2 - mx, cy + SIDE / 2 - my);
}

// The pad's keyboard cursor (0..1 of the pad, y down) after an arrow key,
// kept on the pad.
function movePadCursor([x, y], key, shift) {
  const [dx, dy] = PAD_ARROWS[key], step = (shift ? 5 : 1) / PAD_STEPS;
  const keep = (v) => Math.min(1, Math.max(0, v));
  return [keep(x + dx * step), keep(y + dy * step)];
}

// The classifier's probabilities as rows of bars (HTML).
function probabilityRows(probabilities) {
  return probabilities.map((p, k) =>
    `<div>${k} <span style="width:${Math.round(p * 120)}px"></span> ${p.toFixed(2)}</div>`).join("");
}

// ---- the pad, its canvases and its events: the browser tests hold these
// (tests/test_explore_*.py); Node cannot run them ----
// Stryker disable all

// The strokes drawn on a canvas of `size` pixels, as the pad shows them.
function renderStrokes(strokes, size, width) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  context.fillStyle = "#000";
  context.fillRect(0, 0, size, size);
  context.strokeStyle = context.fillStyle = "#fff";
  context.lineWidth = width;
  context.lineCap = context.lineJoin = "round";
  const at = ([x, y]) => [size * x, size * y];
  for (const stroke of strokes) {
    context.beginPath();
    if (stroke.length === 1) {
      context.arc(...at(stroke[0]), width / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.moveTo(...at(stroke[0]));
    for (const point of stroke.slice(1)) context.lineTo(...at(point));
    context.stroke();
  }
  return canvas;
}

function drawPad() {
  const pad = $("draw-pad");
  pad.getContext("2d").drawImage(
    renderStrokes(state.strokes, pad.width, PAD_BRUSH * pad.width), 0, 0);
}

const encodePad = follower(async (version) => {
  const pixels = normalise(state.strokes);
  if (!pixels) return;
  state.pad = pixels;
  drawImage($("draw-normalised"), pixels);
  const image = Array.from(pixels, (v) => Math.round(v * 1000) / 1000);
  const answer = await backend.encode([image]);
  showElbo({request: {image}, source: "your drawing"});
  const means = answer.means[0];
  state.drawnPoint = codeToPlane(means);
  state.drawnMeans = means;
  drawMap();
  const code = state.model.has_labels ? means.concat(answer.probabilities[0]) : means;
  const [reconstruction] = await backend.decode([code]);
  drawImage($("draw-reconstruction"), reconstruction);
  if (answer.probabilities) showProbabilities(answer.probabilities[0]);
  state.encodedVersion = version;
});

function showProbabilities(probabilities) {
  state.drawnProbabilities = probabilities;
  $("draw-probabilities").innerHTML = probabilityRows(probabilities);
}

function clearPad() {
  state.strokes = []; state.pad = null; state.drawnPoint = null; state.penDown = false;
  state.padVersion += 1; state.encodedVersion = state.padVersion;
  drawPad(); drawMap();
  for (const id of ["draw-reconstruction", "draw-normalised"]) {
    $(id).getContext("2d").clearRect(0, 0, $(id).width, $(id).height);
  }
  $("draw-probabilities").innerHTML = "";
}

const roomToDraw = () => state.strokes.flat().length < MAX_POINTS;

function showPadCursor(shown) {
  const cursor = $("pad-cursor"), [x, y] = state.padCursor;
  cursor.hidden = !shown;
  cursor.classList.toggle("down", state.penDown);
  Object.assign(cursor.style, {left: `${100 * x}%`, top: `${100 * y}%`});
}

// The keyboard's pen: down, it starts a stroke at the cursor.
function setPen(down, changed) {
  if (down === state.penDown) return;
  state.penDown = down;
  if (down && roomToDraw()) {
    state.strokes.push([state.padCursor.slice()]);
    changed();
  }
  $("pad-status").textContent = down ? "pen down: the arrow keys draw"
    : "pen up: the arrow keys move the cursor";
  showPadCursor(true);
}

function onPadKey(event, changed) {
  if (["Delete", "Backspace", "Escape"].includes(event.key)) {
    event.preventDefault();
    clearPad();
  } else if (event.key === " " || event.key === "Enter") {
    event.preventDefault();
    if (!event.repeat) setPen(event.key === " " || !state.penDown, changed);
  } else if (PAD_ARROWS[event.key]) {
    event.preventDefault();
    state.padCursor = movePadCursor(state.padCursor, event.key, event.shiftKey);
    if (state.penDown && roomToDraw()) {
      state.strokes[state.strokes.length - 1].push(state.padCursor.slice());
      changed();
    }
    showPadCursor(true);
  }
}

function setUpPad() {
  const pad = $("draw-pad");
  let drawing = false;
  state.padCursor = [0.5, 0.5];
  state.penDown = false;
  const at = (event) => canvasPoint(pad, event).map((v) => v / pad.width);
  const changed = () => { state.padVersion += 1; drawPad(); encodePad(state.padVersion); };
  pad.addEventListener("pointerdown", (event) => {
    if (!roomToDraw()) return;
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    state.strokes.push([at(event)]);
    changed();
  });
  pad.addEventListener("pointermove", (event) => {
    // a hovering mouse or pen draws nothing
    if (!drawing || !roomToDraw()) return;
    state.strokes[state.strokes.length - 1].push(at(event));
    changed();
  });
  for (const end of ["pointerup", "pointercancel"]) {
    pad.addEventListener(end, () => { drawing = false; });
  }
  pad.addEventListener("keydown", (event) => onPadKey(event, changed));
  pad.addEventListener("keyup", (event) => { if (event.key === " ") setPen(false, changed); });
  pad.addEventListener("blur", () => { setPen(false, changed); showPadCursor(false); });
  $("clear-pad").addEventListener("click", clearPad);
  drawPad();
}
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") {
  module.exports = {BOX, INK_WIDTH, SUPERSAMPLE, MIN_SPAN, PAD_STEPS, inkSegment, rasterise,
                    averaged, centreOfMass, normalise, movePadCursor, probabilityRows};
}
