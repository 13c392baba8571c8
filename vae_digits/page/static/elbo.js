// The ELBO of one image, in the page: its reconstruction and KL terms in
// nats, the KL of each latent dimension as bars, and decodings of codes
// drawn from q(z | x) beside the image, for the chosen test image or the
// drawn digit (backend.elbo: what vae.elbo_parts gives).
"use strict";

// nats: a dimension whose KL is below it carries (almost) nothing of the
// image; its bar is drawn flat and grey
const ACTIVE_KL = 0.01;

// ---- plain functions (tests/js/elbo.test.js) ----
// The bars of the dimensions' KLs on a canvas width x height: [x, y,
// width, height, active] each, the tallest bar 4 pixels short of the top
// (every bar at least 1 pixel, so that a flat one still shows).
function klBars(kls, width, height) {
  const top = Math.max(...kls, ACTIVE_KL), slot = width / kls.length;
  return kls.map((kl, k) => {
    const barHeight = Math.max(1, (height - 4) * kl / top);
    return [k * slot + 1, height - barHeight, Math.max(1, slot - 2), barHeight, kl > ACTIVE_KL];
  });
}

// The bars in words.
function klSummary(kls) {
  const top = Math.max(...kls, ACTIVE_KL), used = kls.filter((kl) => kl > ACTIVE_KL).length;
  return `${used} of ${kls.length} dimensions carry more than ${ACTIVE_KL} nats ` +
    `(the largest ${top.toFixed(2)}); the others are flat`;
}

// ---- the panel's canvases: the browser tests hold these
// (tests/test_explore_elbo.py); Node cannot run them ----
// Stryker disable all

function drawKlBars(canvas, kls) {
  const context = canvas.getContext("2d"), {width, height} = canvas;
  context.clearRect(0, 0, width, height);
  for (const [x, y, w, h, active] of klBars(kls, width, height)) {
    context.fillStyle = active ? "#246" : "#aaa";
    context.fillRect(x, y, w, h);
  }
  const summary = klSummary(kls);
  canvas.setAttribute("aria-label", `the KL of each latent dimension: ${summary}`);
  $("elbo-dimensions").textContent = summary + ".";
}

// {request: backend.elbo's body, source: what the panel shows, in words}
const showElbo = follower(async (job) => {
  const parts = await backend.elbo(job.request);
  drawImage($("elbo-input"), parts.image);
  drawRow($("elbo-decodings"), parts.decodings);
  $("elbo-reconstruction").textContent = parts.reconstruction.toFixed(2);
  $("elbo-kl-total").textContent = parts.kl.toFixed(2);
  $("elbo-value").textContent = parts.elbo.toFixed(2);
  drawKlBars($("elbo-kl"), parts.kl_per_dimension);
  $("elbo-source").textContent = `The ELBO of ${job.source}:`;
  state.elbo = Object.assign(parts, {job});
});

function setUpElbo() {
  const first = state.model.digits.length ? state.model.digits[0].index : 0;
  if (state.model.n_test) showElbo({request: {index: first}, source: `test image ${first}`});
}
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = {ACTIVE_KL, klBars, klSummary};
