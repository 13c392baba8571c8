// The explore page starts here: it asks the model for its description and
// its map, sets up each view (map.js, pad.js, views.js), and, served by a
// server that follows training, redraws when a newer checkpoint arrives.
"use strict";

// The line saying which model the page shows (tests/js/views.test.js).
function modelLine(m) {
  return `${m.model} model on ${m.dataset}, epoch ${m.epoch}, ` +
    `z in ${m.z_dim} dimensions (${m.checkpoint})`;
}

// ---- the page's start and its watch on the server: the browser tests
// hold these (tests/test_explore_*.py); Node cannot run them ----
// Stryker disable all

function describe() {
  $("model-info").textContent = modelLine(state.model);
}

async function watch() {
  try {
    const model = await backend.describe();
    if (model.epoch !== state.model.epoch || model.checkpoint !== state.model.checkpoint) {
      state.model = model;
      state.latent = await backend.latent();
      describe(); drawBase(); drawMap();
      if (model.has_labels) drawStyle(); else redrawVariations();
      if (state.elbo) showElbo(state.elbo.job);
    }
  } catch (error) { /* the server may be restarting: try again later */ }
}

async function start() {
  state.model = await backend.describe();
  state.latent = await backend.latent();
  describe(); drawBase(); drawMap();
  setUpMap();
  if (state.model.has_labels) { setUpConditional(); setUpElbo(); } else setUpNoise();
  setUpPad();
  showCentre();
  await setUpGame();
  if (backend.follows) setInterval(watch, 2000);
  state.ready = true;
}

if (typeof document !== "undefined") start().catch(showError);
// Stryker restore all

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = {modelLine};
