// pad.js: a drawing made an MNIST digit (its box scaled into 20 x 20 less
// the pen, a round pen 3 pixels wide drawn 8 times finer and averaged,
// the centre of mass moved to the centre), against reference.py's; the
// pen's ink on a grid; the keyboard's cursor; the classifier's bars.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, fixture, close} = require("./page.js");

const pad = load("pad.js");
const data = fixture("pad");

test("drawings made MNIST digits as reference.py makes them", () => {
  for (const {kind, strokes, image} of data.drawings) {
    close(pad.normalise(strokes), image, {atol: 1e-6, what: kind});
  }
  assert.equal(pad.normalise([]), null);
  assert.equal(pad.normalise([[]]), null);
});

test("a normalised digit fills its 20 x 20 box and sits on its centre of mass", () => {
  const one = pad.normalise(data.drawings.find((d) => d.kind === "one").strokes);
  close(pad.centreOfMass(one), [14, 14], {atol: 0.5});
  const rows = [];
  one.forEach((v, i) => { if (v > 0) rows.push(Math.floor(i / 28)); });
  assert.equal(Math.max(...rows) - Math.min(...rows) + 1, 20);
});

test("the pen's ink on a grid, strokes running off it", () => {
  for (const {strokes, width, ink} of data.grids) {
    assert.deepEqual(Array.from(pad.rasterise(strokes, 16, 16, 0.3, -0.2, width)), ink,
                     `pen ${width} wide`);
  }
});

test("a dot is a disc; a segment a round-ended band", () => {
  const ink = new Uint8Array(100);
  pad.inkSegment(ink, 10, [5, 5], [5, 5], 1.6);  // centres 1.58 away in, 2.12 out
  const inked = [];
  ink.forEach((v, i) => { if (v) inked.push([i % 10, Math.floor(i / 10)]); });
  assert.deepEqual(inked, [[4, 3], [5, 3], [3, 4], [4, 4], [5, 4], [6, 4],
                           [3, 5], [4, 5], [5, 5], [6, 5], [4, 6], [5, 6]]);
  const band = new Uint8Array(100);
  pad.inkSegment(band, 10, [2, 5], [8, 5], 0.5);
  // the rows whose centres (4.5, 5.5) lie within 0.5 of y = 5, from x = 2 to 8
  assert.deepEqual(Array.from(band.slice(40, 50)), [0, 0, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(band.slice(50, 60)), [0, 0, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.equal(band.reduce((a, b) => a + b, 0), 12);
});

test("ink averaged over 8 x 8 blocks", () => {
  const ink = new Uint8Array(224 * 224);
  ink[0] = 1;                        // block (0, 0): 1 of 64
  ink[224 * 8 + 8] = ink[224 * 15 + 15] = 1;  // block (1, 1): 2 of 64
  ink[224 * 223 + 223] = 1;          // the last block
  const pixels = pad.averaged(ink);
  assert.equal(pixels.length, 784);
  assert.equal(pixels[0], 1 / 64);
  assert.equal(pixels[29], 2 / 64);
  assert.equal(pixels[783], 1 / 64);
  assert.equal(pixels.reduce((a, b) => a + b, 0), 4 / 64);
});

test("the centre of mass of an image, the middle of an empty one", () => {
  for (const {image, centre} of data.mass) close(pad.centreOfMass(image), centre, {atol: 1e-9});
  assert.deepEqual(pad.centreOfMass(new Array(784).fill(0)), [14, 14]);
  const corner = new Array(784).fill(0);
  corner[0] = 1; corner[783] = 3;
  assert.deepEqual(pad.centreOfMass(corner), [0.5 + 27 * 0.75, 0.5 + 27 * 0.75]);
});

test("the keyboard's cursor: 1/40 of the pad a press, five with Shift, kept on it", () => {
  close(pad.movePadCursor([0.5, 0.5], "ArrowUp", false), [0.5, 0.475]);
  close(pad.movePadCursor([0.5, 0.5], "ArrowDown", false), [0.5, 0.525]);
  close(pad.movePadCursor([0.5, 0.5], "ArrowLeft", true), [0.375, 0.5]);
  close(pad.movePadCursor([0.5, 0.5], "ArrowRight", false), [0.525, 0.5]);
  assert.deepEqual(pad.movePadCursor([0.99, 0.01], "ArrowRight", true), [1, 0.01]);
  assert.deepEqual(pad.movePadCursor([0.01, 0.01], "ArrowUp", false), [0.01, 0]);
  assert.deepEqual(pad.movePadCursor([0.01, 0.5], "ArrowLeft", false), [0, 0.5]);
  assert.deepEqual(pad.movePadCursor([0.5, 0.99], "ArrowDown", true), [0.5, 1]);
});

test("the classifier's probabilities as bars 120 pixels at most", () => {
  assert.equal(pad.probabilityRows([0.25, 0.751]),
               '<div>0 <span style="width:30px"></span> 0.25</div>' +
               '<div>1 <span style="width:90px"></span> 0.75</div>');
});
