/* The portal's small enhancements. Every page works without this file.
 *
 * 1. Proof of work: a form carrying data-pow-challenge gets its nonce computed
 *    in the background (SHA-256 of "<challenge>:<n>" with the asked number of
 *    leading zero bits, see public_portal/pow.py); a submit waits for it.
 * 2. An error summary takes the focus, so a screen reader reads it first.
 * 3. A textarea with data-count-template shows the characters left.
 *
 * SHA-256 is computed here rather than with crypto.subtle: that API exists only
 * on HTTPS pages, and a synchronous hash of a short string is faster than its
 * promise per call.
 */
(function () {
  "use strict";

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var W = new Uint32Array(64);

  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }

  /* SHA-256 of ASCII text (challenges and nonces are ASCII): the eight state words. */
  function sha256(text) {
    var length = text.length;
    var blocks = ((length + 8) >> 6) + 1;
    var words = new Uint32Array(blocks * 16);
    for (var i = 0; i < length; i++) {
      words[i >> 2] |= text.charCodeAt(i) << (24 - (i % 4) * 8);
    }
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    words[blocks * 16 - 1] = length * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var b = 0; b < blocks; b++) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          W[t] = words[b * 16 + t];
        } else {
          var w15 = W[t - 15], w2 = W[t - 2];
          var s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
          var s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
      }
      var a = h0, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, bb = h1;
      for (t = 0; t < 64; t++) {
        var S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[t] + W[t]) | 0;
        var S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        var maj = (a & bb) ^ (a & c) ^ (bb & c);
        var t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return [h0, h1, h2, h3, h4, h5, h6, h7];
  }

  function leadingZeroBits(state) {
    var bits = 0;
    for (var i = 0; i < state.length; i++) {
      var word = state[i] >>> 0;
      if (word === 0) { bits += 32; continue; }
      return bits + Math.clz32(word);
    }
    return bits;
  }

  function bitsOf(challenge) {
    // "<salt>.<bits>.<timestamp>.<signature>": the bits are the second part.
    var parts = challenge.split(".");
    var bits = parseInt(parts[1], 10);
    return isNaN(bits) ? 32 : bits;
  }

  /* Find the nonce in slices of work, yielding to the page between them. */
  function solve(challenge, done) {
    var bits = bitsOf(challenge);
    var n = 0;
    function slice() {
      var until = n + 20000;
      for (; n < until; n++) {
        if (leadingZeroBits(sha256(challenge + ":" + n)) >= bits) {
          done(String(n));
          return;
        }
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  function proofOfWork(form) {
    var challenge = form.getAttribute("data-pow-challenge");
    var field = form.querySelector("#pow-nonce");
    var status = document.getElementById("pow-status");
    if (!challenge || !field) return;
    var solved = false;
    var waiting = false;
    var button = form.querySelector("button[type=submit]");
    if (status) status.textContent = form.getAttribute("data-pow-working");
    solve(challenge, function (nonce) {
      field.value = nonce;
      solved = true;
      if (status) status.textContent = form.getAttribute("data-pow-done");
      if (button) button.removeAttribute("aria-disabled");
      if (waiting) form.submit();
    });
    form.addEventListener("submit", function (event) {
      if (solved) return;
      event.preventDefault();
      waiting = true;
      if (button) button.setAttribute("aria-disabled", "true");
    });
  }

  function counter(area) {
    var template = area.getAttribute("data-count-template");
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!template || !max) return;
    var out = document.createElement("p");
    out.className = "count";
    out.id = area.id + "-count";
    area.parentNode.insertBefore(out, area.nextSibling);
    function update() {
      out.textContent = template.replace("{n}", String(Math.max(0, max - area.value.length)));
    }
    area.addEventListener("input", update);
    update();
  }

  function start() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var forms = document.querySelectorAll("form[data-pow-challenge]");
    for (var i = 0; i < forms.length; i++) proofOfWork(forms[i]);
    var areas = document.querySelectorAll("textarea[data-count-template]");
    for (var j = 0; j < areas.length; j++) counter(areas[j]);
  }

  // Exposed for the browser tests (the hash is checked against known digests).
  window.weibaoPortal = { sha256: sha256, leadingZeroBits: leadingZeroBits };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
