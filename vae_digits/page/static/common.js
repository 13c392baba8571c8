// What every view of the explore page shares: the page's state (tests and
// users' scripts read it as window.explore), the error line, drawing
// 28x28 images on canvases, and requests that follow a moving pointer.
// Like each of the page's scripts, a classic script whose plain functions
// Node can require as they are (tests/js/; the footer exports them).
"use strict";

const SIDE = 28;
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

// ---- plain functions (tests/js/common.test.js) ----
// The RGBA bytes of a 28x28 image (784 values in 0..1, kept in 0..1): grey.
function greyRgba(pixels) {
  const rgba = new Uint8ClampedArray(4 * SIDE * SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const grey = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    rgba.set([grey, grey, grey, 255], 4 * i);
  }
  return rgba;
}

// A pointer event's position in the canvas's own pixels, whatever size the
// page shows the canvas at (phones shrink it).
function canvasPoint(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  return [(event.clientX - rect.left - canvas.clientLeft) * canvas.width / canvas.clientWidth,
          (event.clientY - rect.top - canvas.clientTop) * canvas.height / canvas.clientHeight];
}

// What is wrong with `text` as the index of one of `count` test images
// ("" if nothing): the server's own words.
function indexProblem(text, count) {
  const index = Number(text);
  if (String(text).trim() !== "" && Number.isInteger(index) && index >= 0 && index < count) return "";
  return count ? `index must be a test image, 0 to ${count - 1}, got ${String(text).trim() || "nothing"}.`
    : "no test images are loaded; start explore with --data-path.";
}

// Requests that follow a control: one at a time, and after it the newest
// job asked for meanwhile (the ones in between are skipped, never the last);
// a failed one's error to `onError`.
function follower(send, onError = showError) {
  let busy = false, queued = false, latest;
  async function run() {
    busy = true;
    while (queued) {
      queued = false;
      try { await send(latest); } catch (error) { onError(error); }
    }
    busy = false;
  }
  return (job) => { latest = job; queued = true; if (!busy) run(); };
}

function oneHot(digit) {
  return Array.from({length: 10}, (_, k) => (k === digit ? 1 : 0));
}

// ---- the page's elements and canvases: the browser tests hold these
// (tests/test_explore_*.py); Node cannot run them ----
// Stryker disable all
const state = {
  ready: false, model: null, latent: null, base: null, cursor: null, ends: [],
  lastCode: null, latencies: [], drawnPoint: null, strokes: [], pad: null,
  padVersion: 0, encodedVersion: 0, style: null, digit: 0, game: null,
};
if (typeof window !== "undefined") window.explore = state;

const $ = (id) => document.getElementById(id);

function showError(error) {
  $("error").hidden = false;
  $("error").textContent = String(error.message || error);
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

// A control's error beside it (its note, id `${id}-error`, is a live
// region: screen readers read it out); the top error line is for errors
// no control caused.
function showFieldError(id, message) {
  $(`${id}-error`).textContent = message;
  $(id).setAttribute("aria-invalid", "true");
}

function clearFieldError(id) {
  $(`${id}-error`).textContent = "";
  $(id).removeAttribute("aria-invalid");
}

// One 28x28 image (784 values in 0..1) drawn at (x, y), `scale` pixels a pixel.
function drawImage(canvas, pixels, x = 0, y = 0, scale = canvas.width / SIDE) {
  const tile = document.createElement("canvas");
  tile.width = tile.height = SIDE;
  const data = tile.getContext("2d").createImageData(SIDE, SIDE);
  data.data.set(greyRgba(pixels));
  tile.getContext("2d").putImageData(data, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(tile, x, y, SIDE * scale, SIDE * scale);
}

function drawRow(canvas, images) {
  const scale = canvas.height / SIDE;
  canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
  images.forEach((image, i) => drawImage(canvas, image, i * SIDE * scale, 0, scale));
}
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") {
  module.exports = {SIDE, COLOURS, greyRgba, canvasPoint, indexProblem, follower, oneHot};
}
