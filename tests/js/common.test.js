// common.js: grey levels, the pointer in a canvas's pixels (CSS scaling:
// a phone shows the map smaller than its pixels), the index box's check,
// the requests that follow a control, one-hot classes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, fixture, close} = require("./page.js");

const common = load("common.js");

test("an image's grey levels: each pixel kept in 0..1, times 255, rounded", () => {
  const pixels = new Array(784).fill(0);
  pixels.splice(0, 7, -0.5, 0, 0.5, 1, 1.7, 0.001, 0.998);
  const rgba = common.greyRgba(pixels);
  assert.equal(rgba.length, 4 * 784);
  const greys = [0, 0, 128, 255, 255, 0, 254];
  greys.forEach((grey, i) => assert.deepEqual(Array.from(rgba.slice(4 * i, 4 * i + 4)),
                                              [grey, grey, grey, 255]));
  assert.deepEqual(Array.from(rgba.slice(4 * 783)), [0, 0, 0, 255]);
});

test("the pointer in the canvas's own pixels, whatever size it is shown at", () => {
  for (const {box, client, canvas} of fixture("coordinates").pointer) {
    const element = {
      getBoundingClientRect: () => ({left: box.left, top: box.top}),
      clientLeft: box.border, clientTop: box.border, width: box.width, height: box.height,
      clientWidth: box.clientWidth, clientHeight: box.clientHeight};
    close(common.canvasPoint(element, {clientX: client[0], clientY: client[1]}), canvas,
          {atol: 1e-9, what: `shown ${box.clientWidth} wide`});
  }
});

test("the index box takes whole numbers of test images, in the server's words", () => {
  for (const good of ["0", "3", "499", " 7 ", 12]) assert.equal(common.indexProblem(good, 500), "");
  const bad = {"500": "500", "99999": "99999", "-1": "-1", "2.5": "2.5", "": "nothing",
               "  ": "nothing", "abc": "abc"};
  for (const [text, shown] of Object.entries(bad)) {
    assert.equal(common.indexProblem(text, 500),
                 `index must be a test image, 0 to 499, got ${shown}.`);
  }
  assert.equal(common.indexProblem("0", 0),
               "no test images are loaded; start explore with --data-path.");
  assert.equal(common.indexProblem("0", 1), "");
});

test("a follower sends one job at a time, then only the newest asked for", async () => {
  const sent = [], errors = [];
  let release;
  const send = (job) => {
    sent.push(job);
    if (job === "fails") throw new Error("no");
    return job === 1 ? new Promise((resolve) => { release = resolve; }) : Promise.resolve();
  };
  const follow = common.follower(send, (error) => errors.push(error.message));
  follow(1);
  follow(2); follow(3); follow(4);  // while 1 is on its way: only 4 is sent after it
  assert.deepEqual(sent, [1]);
  release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(sent, [1, 4]);
  follow("fails");
  follow(5);
  await new Promise((resolve) => setTimeout(resolve, 10));
  follow(6);  // a failure stops nothing
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(sent, [1, 4, "fails", 5, 6]);
  assert.deepEqual(errors, ["no"]);
});

test("the classes' colours are the figures' (matplotlib's tab10)", () => {
  assert.deepEqual(common.COLOURS, fixture("coordinates").colours);
});

test("one-hot classes", () => {
  assert.deepEqual(common.oneHot(0), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(common.oneHot(9), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(common.SIDE, 28);
});
