// The ELBO of one image, in the page: its reconstruction and KL terms in
// nats, the KL of each latent dimension as bars, and decodings of codes
// drawn from q(z | x) beside the image, for the chosen test image or the
// drawn digit (backend.elbo: what vae.elbo_parts gives).
"use strict";

// nats: a dimension whose KL is below it carries (almost) nothing of the
// image; its bar is drawn flat and grey
const ACTIVE_KL = 0.01;

function drawKlBars(canvas, kls) {
  const context = canvas.getContext("2d"), {width, height} = canvas;
  const top = Math.max(...kls, ACTIVE_KL), slot = width / kls.length;
  context.clearRect(0, 0, width, height);
  kls.forEach((kl, k) => {
    const barHeight = Math.max(1, (height - 4) * kl / top);
    context.fillStyle = kl > ACTIVE_KL ? "#246" : "#aaa";
    context.fillRect(k * slot + 1, height - barHeight, Math.max(1, slot - 2), barHeight);
  });
  const used = kls.filter((kl) => kl > ACTIVE_KL).length;
  const summary = `${used} of ${kls.length} dimensions carry more than ${ACTIVE_KL} nats ` +
    `(the largest ${top.toFixed(2)}); the others are flat`;
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
