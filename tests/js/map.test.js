// map.js: the pointer's point of the plane (through the canvas's pixels,
// CSS scaling included), the plane on the canvas (y up), the projection
// both ways, the interpolation's ten codes, the cursor kept on the map,
// the arrow keys' steps, the labels' font size.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, fixture, close} = require("./page.js");

const common = load("common.js");
const map = load("map.js");
const data = fixture("coordinates");

test("the point of the plane under a pointer, on a map shown at any size", () => {
  for (const {box, client, limit, plane} of data.pointer) {
    const element = {
      getBoundingClientRect: () => ({left: box.left, top: box.top}),
      clientLeft: box.border, clientTop: box.border, width: box.width, height: box.height,
      clientWidth: box.clientWidth, clientHeight: box.clientHeight};
    const point = map.fromCanvas(...common.canvasPoint(element, {clientX: client[0], clientY: client[1]}),
                                 limit, box.width);
    close(point, plane, {atol: 1e-9, what: `shown ${box.clientWidth} wide`});
  }
});

test("the plane on the canvas: y up, the square inside the margins", () => {
  for (const {plane, limit, width, canvas} of data.toCanvas) {
    close(map.toCanvas(plane, limit, width), canvas, {atol: 1e-9});
    close(map.fromCanvas(...canvas, limit, width), plane, {atol: 1e-9});
  }
  assert.deepEqual(map.toCanvas([-2, 2], 2, 520), [44, 44]);
  assert.deepEqual(map.toCanvas([2, -2], 2, 520), [476, 476]);
  assert.deepEqual(map.fromCanvas(300, 300, 5, 600), [0, 0]);
});

test("the projection: a point of the plane to z and back", () => {
  const {mean, components, points, codes, labelled, digits, z, planes} = data.projection;
  const latent = {mean, components};
  points.forEach((point, i) => {
    close(map.planeToCode(point, latent, null), codes[i], {atol: 1e-12});
    close(map.planeToCode(point, latent, digits[i]), labelled[i], {atol: 1e-12});
    close(map.codeToPlane(codes[i], latent), point, {atol: 1e-12});
  });
  z.forEach((code, i) => close(map.codeToPlane(code, latent), planes[i], {atol: 1e-12}));
});

test("the interpolation: ten codes from the first end to the second, both in", () => {
  const {a, b, codes} = data.interpolation;
  const got = map.interpolate(a, b);
  close(got, codes, {atol: 1e-12});
  assert.deepEqual(got[0], a);
  close(got[9], b, {atol: 1e-15});
  assert.equal(map.interpolate(a, b, 3).length, 3);
  close(map.interpolate([0], [1], 5), [[0], [0.25], [0.5], [0.75], [1]]);
});

test("the cursor stays on the canvas, its margins included", () => {
  // 520 pixels, margins of 44: the plane's 2 x 2 spans 432 pixels, the canvas 520 / 216
  const reach = 2 * 520 / 432;
  close(map.keepOnMap([5, -5], 2, 520), [reach, -reach], {atol: 1e-12});
  assert.deepEqual(map.keepOnMap([1.5, -0.25], 2, 520), [1.5, -0.25]);
  close(map.keepOnMap([-2.3, 2.3], 2, 520), [-2.3, 2.3]);
});

test("an arrow key moves the cursor 1/40 of the map, five times that with Shift", () => {
  const step = 2 * 3 / 40;
  close(map.arrowMove([0, 0], "ArrowRight", false, 3), [step, 0]);
  close(map.arrowMove([0, 0], "ArrowLeft", false, 3), [-step, 0]);
  close(map.arrowMove([1, 1], "ArrowUp", false, 3), [1, 1 + step]);
  close(map.arrowMove([1, 1], "ArrowDown", true, 3), [1, 1 - 5 * step]);
  assert.equal(map.KEY_STEPS, 40);
});

test("the labels' font: as many CSS pixels however small the canvas is shown", () => {
  for (const [css, width, shown, px] of data.fontSize) assert.equal(map.fontSize(css, width, shown), px);
  assert.equal(map.fontSize(13, 520, 0), 13);  // not laid out yet: as shown whole
  assert.equal(map.MARGIN, 44);
});
