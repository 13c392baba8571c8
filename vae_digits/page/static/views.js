// The views beside the map: the blog's noise slider over one test image,
// the conditional model's digits and z sliders, and "human or machine?".
"use strict";

// ---- plain functions (tests/js/views.test.js) ----
// A draw of N(0, 1) from Math.random (Box-Muller).
function randomNormal() {
  const u = 1 - Math.random(), v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// The codes of the ten digits in the handwriting `style` (z).
function digitCodes(style) {
  return Array.from({length: 10}, (_, k) => style.concat(oneHot(k)));
}

// (x, y) of the i-th of a grid's tiles, `columns` a row, each `size` wide.
function gridPlace(i, columns, size) {
  return [(i % columns) * size, Math.floor(i / columns) * size];
}

// How many tiles of the game were marked as they were drawn.
function gameScore(machine, marked) {
  return machine.filter((drawn, i) => drawn === marked[i]).length;
}

// ---- the views' canvases and events: the browser tests hold these
// (tests/test_explore_*.py); Node cannot run them ----
// Stryker disable all

// ---- the blog's noise slider ----
const drawVariations = follower(async ({index, std_noise}) => {
  const answer = await backend.vary(index, std_noise, 25, 0);
  drawImage($("noise-original"), answer.image);
  const canvas = $("variations"), scale = canvas.width / (5 * SIDE);
  answer.images.forEach((image, i) =>
    drawImage(canvas, image, ...gridPlace(i, 5, SIDE * scale), scale));
  state.variations = answer.images;
  state.variationsNoise = std_noise;
});

// The grid of the index typed, or, while that is no test image, of the
// last one that was (its error stays beside the box).
function redrawVariations() {
  const std_noise = Number($("std-noise").value);
  $("std-noise-value").textContent = std_noise.toFixed(2);
  const typed = $("digit-index").value, problem = indexProblem(typed, state.model.n_test);
  if (problem) showFieldError("digit-index", problem);
  else { clearFieldError("digit-index"); state.noiseIndex = Number(typed); }
  if (state.noiseIndex === undefined) return;
  const index = state.noiseIndex;
  drawVariations({index, std_noise});
  if (state.elboIndex !== index) {  // a new choice, not a slider's move
    state.elboIndex = index;
    showElbo({request: {index}, source: `test image ${index}`});
  }
}

function setUpNoise() {
  $("noise-view").hidden = false;
  if (state.model.binary_codes) {
    $("noise-hint").textContent = "Its code is 40 bits: they are drawn from q(z | x) with the " +
      "encoder's logits divided by e^std_noise, a temperature: more noise flips more bits.";
  }
  for (const {index, label} of state.model.digits) {
    const option = document.createElement("option");
    option.value = index;
    option.textContent = `${index}: ${state.model.class_names[label]}`;
    $("digit-choice").append(option);
  }
  if (state.model.digits.length) $("digit-index").value = state.model.digits[0].index;
  $("digit-index").max = state.model.n_test - 1;
  $("digit-choice").addEventListener("change", () => {
    $("digit-index").value = $("digit-choice").value; redrawVariations();
  });
  $("digit-index").addEventListener("change", redrawVariations);
  $("std-noise").addEventListener("input", redrawVariations);
  redrawVariations();
}

// ---- the conditional model's digits ----
const drawStyle = follower(async () => {
  const digit = state.digit, style = state.style.slice();
  const images = await backend.decode(digitCodes(style));
  drawRow($("conditioned"), images);
  drawImage($("chosen-digit"), images[digit]);
  $("chosen-caption").textContent = `the digit ${digit} in this handwriting (outlined in the row)`;
  $("chosen-mark").style.left = `${10 * digit}%`;
  state.drawnDigit = images[digit];
});

function chooseStyle(style) {
  state.style = style;
  style.forEach((value, k) => { $(`z-${k}`).value = value; });
  drawStyle();
}

function chooseDigit(digit) {
  state.digit = digit;
  document.querySelectorAll("#digit-buttons button").forEach((button, k) => {
    button.classList.toggle("chosen", k === digit);
    button.setAttribute("aria-pressed", String(k === digit));
  });
  drawStyle();
  if (state.cursor) decodeCursor();  // the map decodes with the digit chosen
}

function setUpConditional() {
  $("conditional-view").hidden = false;
  for (let k = 0; k < 10; k++) {
    const button = document.createElement("button");
    button.type = "button"; button.id = `digit-${k}`; button.textContent = k;
    button.addEventListener("click", () => chooseDigit(k));
    $("digit-buttons").append(button);
  }
  for (let k = 0; k < state.model.z_dim; k++) {
    const label = document.createElement("label");
    label.textContent = `z${k + 1} `;
    const slider = document.createElement("input");
    Object.assign(slider, {type: "range", min: -3, max: 3, step: 0.05, id: `z-${k}`});
    slider.addEventListener("input", () => { state.style[k] = Number(slider.value); drawStyle(); });
    label.append(slider);
    $("z-sliders").append(label);
  }
  const newStyle = () => Array.from({length: state.model.z_dim}, randomNormal);
  $("new-style").addEventListener("click", () => chooseStyle(newStyle()));
  state.style = newStyle();
  chooseDigit(0);
  chooseStyle(state.style);
}

// ---- human or machine? ----
async function newGame() {
  const answer = await backend.humanOrMachine(16, Math.floor(Math.random() * 1e9));
  state.game = {machine: answer.machine, marked: answer.machine.map(() => false)};
  const grid = $("human-or-machine");
  grid.innerHTML = "";
  $("hom-score").textContent = "";
  answer.images.forEach((image, i) => {
    const tile = document.createElement("button");
    Object.assign(tile, {type: "button", id: `hom-${i}`, className: "tile"});
    tile.setAttribute("aria-pressed", "false");
    tile.setAttribute("aria-label", `image ${i + 1}`);
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 56;
    drawImage(canvas, image);
    tile.append(canvas);
    tile.addEventListener("click", () => {
      state.game.marked[i] = !state.game.marked[i];
      tile.setAttribute("aria-pressed", String(state.game.marked[i]));
    });
    grid.append(tile);
  });
}

function checkGame() {
  const {machine, marked} = state.game;
  const right = gameScore(machine, marked);
  machine.forEach((drawn, i) => {
    $(`hom-${i}`).classList.toggle("machine", drawn);
    $(`hom-${i}`).setAttribute("aria-label", `image ${i + 1}: ${drawn ? "the model's" : "a person's"}`);
  });
  $("hom-score").textContent = `You got ${right} of ${machine.length} right ` +
    `(the dashed ones were drawn by the model).`;
  state.game.right = right;
}

function setUpGame() {
  $("hom-check").addEventListener("click", checkGame);
  $("hom-new").addEventListener("click", () => newGame().catch(showError));
  return newGame();
}
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = {randomNormal, digitCodes, gridPlace, gameScore};
