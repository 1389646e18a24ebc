// The lab beside the film: the sigmoid p(positive | x) = σ(w·x + b) over the data, each
// point's bar and loss, their mean, and the mean loss over (w, b), moved by dragging, by
// the controls and by the keys. The numbers are bce_core's: the same stable formulas
// (logistic.py: sigmoid, logaddexp, Newton's step in standardised coordinates;
// losses.py: the clipped loss), held to golden values by tests/test_lab.py. Everything
// about the data comes from window.BCE_LAB (assets/lab-data.js), every word from
// window.BCE_PAGE (assets/page-data.js); user text is inserted as text, never as markup.
"use strict";

(() => {
  const page = window.BCE_PAGE;
  const lab = window.BCE_LAB;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";

  // --- the core's formulas ---------------------------------------------------------------

  // numpy.logaddexp(0, a): log(1 + exp(a)), exact for large |a|.
  function logAddExp0(a) {
    if (a === 0) return Math.LN2;
    return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
  }

  // logistic.sigmoid: 1 / (1 + exp(-t)) without overflow.
  function sigmoid(t) {
    const e = Math.exp(-Math.abs(t));
    return t >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  // logistic.logit_losses: -log p(true class) from the logit, never clipped.
  const logitLoss = (y, t) => logAddExp0(-(2 * y - 1) * t);

  // losses.point_losses: -log p(true class) with p clipped to [EPSILON, 1 - EPSILON].
  function clippedLoss(y, p) {
    const clipped = Math.min(Math.max(p, lab.epsilon), 1 - lab.epsilon);
    return y === 1 ? -Math.log(clipped) : -Math.log1p(-clipped);
  }

  // A sum with Neumaier's compensation: within an ulp or two of numpy's pairwise sum,
  // whatever the number of rows.
  class Sum {
    constructor() {
      this.total = 0;
      this.compensation = 0;
    }
    add(value) {
      const total = this.total + value;
      if (Math.abs(this.total) >= Math.abs(value)) this.compensation += this.total - total + value;
      else this.compensation += value - total + this.total;
      this.total = total;
    }
    get value() {
      return this.total + this.compensation;
    }
  }

  const xs = Float64Array.from(lab.x);
  const ys = Int8Array.from(lab.y);
  const rows = xs.length;
  const { centre, scale } = lab.standardisation;
  const zs = xs.map((x) => (x - centre) / scale);
  const losses = new Float64Array(rows);

  // Every row's loss at (w, b) into `losses`; their mean.
  function meanLoss(w, b) {
    const sum = new Sum();
    for (let i = 0; i < rows; i++) {
      const loss = logitLoss(ys[i], w * xs[i] + b);
      losses[i] = loss;
      sum.add(loss);
    }
    return sum.value / rows;
  }

  // NewtonProblem (bce_core/logistic.py): u = w scale, v = b + w centre.
  const toStandard = (w, b) => [w * scale, b + w * centre];
  function toOriginal(u, v) {
    let b = v - (u * centre) / scale;
    if (!Number.isFinite(b)) b = v - u * (centre / scale); // u * centre overflowed
    return [u / scale, b];
  }

  function objective(u, v, penalty) {
    const sum = new Sum();
    for (let i = 0; i < rows; i++) sum.add(logAddExp0(-(2 * ys[i] - 1) * (u * zs[i] + v)));
    return sum.value + 0.5 * penalty * u * u;
  }

  // The least-squares solution of the symmetric 2x2 system h s = r, of minimum norm when
  // h is singular (numpy.linalg.lstsq with rcond=None: singular values below 2 eps times
  // the largest count as zero).
  function solve2(h00, h01, h11, r0, r1) {
    const mean = (h00 + h11) / 2;
    const spread = Math.hypot((h00 - h11) / 2, h01);
    const large = mean + spread;
    const small = mean - spread;
    const cutoff = 2 * Number.EPSILON * Math.abs(large);
    if (Math.abs(small) > cutoff) {
      const det = h00 * h11 - h01 * h01;
      return [(r0 * h11 - r1 * h01) / det, (h00 * r1 - h01 * r0) / det];
    }
    if (Math.abs(large) <= cutoff) return [0, 0];
    // Only the large eigenvalue counts: project r on its eigenvector.
    let e0 = h01;
    let e1 = large - h00;
    if (Math.hypot(e0, e1) === 0) [e0, e1] = h00 >= h11 ? [1, 0] : [0, 1];
    const norm = Math.hypot(e0, e1);
    e0 /= norm;
    e1 /= norm;
    const along = (e0 * r0 + e1 * r1) / large;
    return [along * e0, along * e1];
  }

  // NewtonProblem.step: one Newton iteration from (w, b) with backtracking; null where no
  // step improves the objective (the optimum).
  function newtonStep(w, b, penalty) {
    const [u, v] = toStandard(w, b);
    const current = objective(u, v, penalty);
    const gz = new Sum();
    const g1 = new Sum();
    const hzz = new Sum();
    const hz = new Sum();
    const h1 = new Sum();
    for (let i = 0; i < rows; i++) {
      const z = zs[i];
      const p = sigmoid(u * z + v);
      const residual = p - ys[i];
      const curvature = p * (1 - p);
      gz.add(residual * z);
      g1.add(residual);
      hzz.add(curvature * (z * z));
      hz.add(curvature * z);
      h1.add(curvature);
    }
    const [s0, s1] = solve2(
      hzz.value + penalty,
      hz.value,
      h1.value,
      -(gz.value + penalty * u),
      -g1.value,
    );
    let rate = 1;
    let candidate = objective(u + s0, v + s1, penalty);
    while (candidate > current && rate > 1e-10) {
      rate *= 0.5;
      candidate = objective(u + rate * s0, v + rate * s1, penalty);
    }
    if (candidate >= current) return null;
    const size = Math.max(Math.abs(rate * s0), Math.abs(rate * s1));
    const [nextU, nextV] = [u + rate * s0, v + rate * s1];
    const [nextW, nextB] = toOriginal(nextU, nextV);
    const still = size <= lab.step_tolerance * (1 + Math.max(Math.abs(nextU), Math.abs(nextV)));
    return { w: nextW, b: nextB, converged: still };
  }

  // The baseline's loss as the core computes it: every point given p = the share of
  // positives, clipped (losses.binary_cross_entropy).
  function baselineLoss() {
    const sum = new Sum();
    for (let i = 0; i < rows; i++) sum.add(clippedLoss(ys[i], lab.share));
    return sum.value / rows;
  }

  // --- the film's rounding ---------------------------------------------------------------
  // Python's format() rounds the float's exact decimal value, half to even; JavaScript's
  // toFixed rounds a tie up. The film writes a loss with loss_text ("{:.4f}") and a weight
  // with "{:.4g}"; these are the same, digit for digit, from the float's exact value.

  // |value| = digits / 10^point exactly, digits a string of decimal digits.
  function exactDecimal(value) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(value));
    const bits = view.getBigUint64(0);
    const biased = Number(bits >> 52n);
    let mantissa = bits & ((1n << 52n) - 1n);
    let exponent = biased - 1075;
    if (biased === 0) exponent = -1074;
    else mantissa |= 1n << 52n;
    if (exponent >= 0) return { digits: (mantissa << BigInt(exponent)).toString(), point: 0 };
    return { digits: (mantissa * 5n ** BigInt(-exponent)).toString(), point: -exponent };
  }

  // digits / 10^point rounded half to even to `keep` places after the point (keep may be
  // negative): the rounded integer, as a BigInt.
  function roundHalfEven(digits, point, keep) {
    const drop = point - keep;
    const whole = BigInt(digits);
    if (drop <= 0) return whole * 10n ** BigInt(-drop);
    const unit = 10n ** BigInt(drop);
    const quotient = whole / unit;
    const twice = (whole % unit) * 2n;
    if (twice > unit || (twice === unit && quotient % 2n === 1n)) return quotient + 1n;
    return quotient;
  }

  const signOf = (value) => (value < 0 || Object.is(value, -0) ? "-" : "");

  // Python's f"{value:.{decimals}f}".
  function formatFixed(value, decimals) {
    if (!Number.isFinite(value)) return String(value);
    const { digits, point } = exactDecimal(value);
    const text = roundHalfEven(digits, point, decimals).toString().padStart(decimals + 1, "0");
    const cut = text.length - decimals;
    return signOf(value) + (decimals ? `${text.slice(0, cut)}.${text.slice(cut)}` : text);
  }

  // Python's f"{value:.{significant}g}".
  function formatGeneral(value, significant) {
    if (!Number.isFinite(value)) return String(value);
    if (value === 0) return `${signOf(value)}0`;
    const { digits, point } = exactDecimal(value);
    const leading = digits.replace(/^0+/, "");
    let exponent = leading.length - point - 1; // of the first significant digit
    let rounded = roundHalfEven(digits, point, significant - 1 - exponent).toString();
    if (rounded.length > significant) {
      exponent += 1; // 9.9995 -> 10.00
      rounded = rounded.slice(0, significant);
    }
    const strip = (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);
    if (exponent >= -4 && exponent < significant) {
      return signOf(value) + strip(formatFixed(Math.abs(value), significant - 1 - exponent));
    }
    const mantissa = strip(`${rounded[0]}.${rounded.slice(1)}`);
    const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${signOf(value)}${mantissa}e${power}`;
  }

  const formatLoss = (value) => formatFixed(value, lab.formats.loss_decimals);
  const formatParameter = (value) => formatGeneral(value, lab.formats.parameter_digits);

  // --- the state -------------------------------------------------------------------------

  const params = new URLSearchParams(location.search);
  let film = page.films.find((f) => f.language === params.get("lang")) || page.films[0];
  let words = film.words;
  const numbers = () => lab.film_numbers[film.language];
  const hasPenalty = lab.C !== null;
  const state = { w: 0, b: 0, penaltyOn: hasPenalty, mean: 0 };
  let selected = lab.drawn.length ? lab.drawn[0] : 0;
  const userPath = []; // the viewer's own Newton steps, on the surface
  // The chapter whose "Try it" opened the lab (#state=...&chapter=<name>), if any.
  const openedFrom = new URLSearchParams(location.hash.slice(1)).get("chapter");

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  const labelOf = (index) => (ys[index] === 1 ? numbers().positive : numbers().negative);
  const penalty = () => (state.penaltyOn ? lab.penalty : 0);

  // --- drawing helpers ---------------------------------------------------------------------

  function node(tag, attributes = {}, parent = null) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (parent) parent.append(element);
    return element;
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // About `count` round numbers between low and high.
  function ticks(low, high, count) {
    const raw = (high - low) / count;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || raw;
    const out = [];
    for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
      out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return out;
  }

  // A plot's frame: its size in CSS pixels and the maps from data to pixels.
  function frame(svg, ratio, xRange, yRange, margins) {
    const width = Math.max(240, svg.parentElement.clientWidth);
    const height = Math.round(width * ratio);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    const [left, right, top, bottom] = margins;
    const px = (x) => left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * (width - left - right);
    const py = (y) =>
      height - bottom - ((y - yRange[0]) / (yRange[1] - yRange[0])) * (height - top - bottom);
    const fromPx = (h) => xRange[0] + ((h - left) / (width - left - right)) * (xRange[1] - xRange[0]);
    const fromPy = (v) =>
      yRange[0] + ((height - bottom - v) / (height - top - bottom)) * (yRange[1] - yRange[0]);
    return { width, height, left, right, top, bottom, px, py, fromPx, fromPy, xRange, yRange };
  }

  function axes(group, f, xTicks, yTicks, xFormat, yFormat, xName, yName) {
    const ink = "var(--muted)";
    node("line", { x1: f.left, x2: f.width - f.right, y1: f.height - f.bottom, y2: f.height - f.bottom, stroke: ink }, group);
    node("line", { x1: f.left, x2: f.left, y1: f.top, y2: f.height - f.bottom, stroke: ink }, group);
    for (const t of xTicks) {
      const text = node("text", { x: f.px(t), y: f.height - f.bottom + 18, "text-anchor": "middle", class: "tick" }, group);
      text.textContent = xFormat(t);
    }
    for (const t of yTicks) {
      const text = node("text", { x: f.left - 6, y: f.py(t) + 4, "text-anchor": "end", class: "tick" }, group);
      text.textContent = yFormat(t);
    }
    const xLabel = node("text", { x: f.width - f.right, y: f.height - 4, "text-anchor": "end", class: "axis-name" }, group);
    xLabel.textContent = xName;
    const yLabel = node("text", { x: 4, y: f.top - 8, class: "axis-name" }, group);
    yLabel.textContent = yName;
  }

  // --- the curve and its bars --------------------------------------------------------------

  const xSpan = lab.window.x[1] - lab.window.x[0] || 1;
  const xRange = [lab.window.x[0] - 0.08 * xSpan, lab.window.x[1] + 0.08 * xSpan];
  const drawnByX = [...lab.drawn].sort((i, j) => xs[i] - xs[j]);
  let curveFrame = null;
  // The handles stand where they can be reached: the midpoint inside the plot, the
  // steepness handle a fixed share of the plot to its right (or left, near the edge).
  const HANDLE_OFFSET = 0.22;

  function midpointX() {
    const middle = (xRange[0] + xRange[1]) / 2;
    if (state.w === 0) return middle;
    const x = -state.b / state.w;
    return Math.min(Math.max(x, xRange[0]), xRange[1]);
  }

  function slopeX() {
    const at = midpointX();
    const offset = HANDLE_OFFSET * (xRange[1] - xRange[0]);
    return at + offset <= xRange[1] ? at + offset : at - offset;
  }

  // The drawing under a figure's handles, made anew; the handles stay (and keep focus).
  function layer(svg) {
    const old = svg.querySelector(":scope > g.layer");
    const group = node("g", { class: "layer" });
    if (old) old.replaceWith(group);
    else svg.prepend(group);
    return group;
  }

  function drawCurve() {
    const svg = $("curve");
    const f = frame(svg, 0.5, xRange, [0, 1], [44, 16, 28, 30]);
    curveFrame = f;
    const group = layer(svg);
    axes(group, f, ticks(xRange[0], xRange[1], 6), [0, 0.5, 1], formatParameter, String, "x", "p");
    node("line", { x1: f.left, x2: f.width - f.right, y1: f.py(1), y2: f.py(1), class: "guide" }, group);
    // Bars: a positive point's from 0 up to the curve (p), a negative point's from 1 down
    // to the curve (1 - p): each is p(true class), as the film draws them.
    for (const i of drawnByX) {
      const p = sigmoid(state.w * xs[i] + state.b);
      const positive = ys[i] === 1;
      node(
        "line",
        {
          x1: f.px(xs[i]), x2: f.px(xs[i]),
          y1: f.py(positive ? 0 : 1), y2: f.py(p),
          class: `bar ${positive ? "positive" : "negative"}${i === selected ? " selected" : ""}`,
        },
        group,
      );
    }
    const samples = 240;
    let path = "";
    for (let k = 0; k <= samples; k++) {
      const x = xRange[0] + ((xRange[1] - xRange[0]) * k) / samples;
      path += `${k ? "L" : "M"}${f.px(x).toFixed(2)},${f.py(sigmoid(state.w * x + state.b)).toFixed(2)}`;
    }
    node("path", { d: path, class: "sigmoid" }, group);
    for (const i of drawnByX) {
      const positive = ys[i] === 1;
      node(
        "circle",
        {
          cx: f.px(xs[i]), cy: f.py(positive ? 1 : 0), r: i === selected ? 7 : 5,
          class: `dot ${positive ? "positive" : "negative"}${i === selected ? " selected" : ""}`,
        },
        group,
      );
    }
    const mx = midpointX();
    const sx = slopeX();
    handle(svg, "midpoint-handle", f.px(mx), f.py(sigmoid(state.w * mx + state.b)), "circle", words.lab_midpoint, state.b);
    handle(svg, "slope-handle", f.px(sx), f.py(sigmoid(state.w * sx + state.b)), "square", words.lab_slope, state.w);
  }

  // A draggable handle: focusable, a slider to assistive technology, 44 px to the pointer.
  // Made once and moved, so that it keeps the keyboard's focus.
  function handle(svg, id, cx, cy, shape, label, value, valueText) {
    let group = $(id);
    if (!group) {
      group = node("g", { id, class: "handle", tabindex: "0", role: "slider" }, svg);
      node("circle", { r: 22, class: "hit" }, group);
      if (shape === "circle") node("circle", { r: 9, class: "knob" }, group);
      else if (shape === "ring") node("circle", { r: 9, class: "ring" }, group);
      else node("rect", { x: -8, y: -8, width: 16, height: 16, class: "knob" }, group);
    }
    group.setAttribute("transform", `translate(${cx.toFixed(2)},${cy.toFixed(2)})`);
    group.setAttribute("aria-label", label);
    group.setAttribute("aria-valuenow", String(value));
    group.setAttribute("aria-valuetext", valueText || formatParameter(value));
  }

  // --- the losses ----------------------------------------------------------------------------

  // The chart's top: the largest drawn loss at the flat guess or the fit, with room
  // above; a longer bar is cut there and marked, as the film caps its bars.
  const lossTop = (() => {
    let top = Math.LN2;
    for (const name of ["flat", "fit"]) {
      const { w, b } = lab.states[name];
      for (const i of lab.drawn) top = Math.max(top, logitLoss(ys[i], w * xs[i] + b));
    }
    return top * 1.25;
  })();

  function drawLosses() {
    const svg = $("losses");
    const f = frame(svg, 0.36, xRange, [0, lossTop], [44, 16, 24, 30]);
    const group = layer(svg);
    axes(group, f, ticks(xRange[0], xRange[1], 6), ticks(0, lossTop, 4), formatParameter,
      (t) => formatGeneral(t, 2), "x", "−log p");
    const width = Math.max(3, Math.min(14, (f.width - f.left - f.right) / (2.5 * drawnByX.length)));
    for (const i of drawnByX) {
      const loss = losses[i];
      const capped = loss > lossTop;
      const top = f.py(Math.min(loss, lossTop));
      node("rect", {
        x: f.px(xs[i]) - width / 2, y: top, width, height: Math.max(0, f.py(0) - top),
        class: `loss-bar${i === selected ? " selected" : ""}`,
      }, group);
      if (capped) {
        node("path", { d: `M${f.px(xs[i]) - width},${top + 6}l${width},-8l${width},8`, class: "cap" }, group);
      }
    }
    if (lab.baseline_loss <= lossTop) {
      const y = f.py(lab.baseline_loss);
      node("line", { x1: f.left, x2: f.width - f.right, y1: y, y2: y, class: "baseline-line" }, group);
    }
    const meanY = f.py(Math.min(state.mean, lossTop));
    node("line", { x1: f.left, x2: f.width - f.right, y1: meanY, y2: meanY, class: "mean-line" }, group);
    const label = node("text", { x: f.width - f.right - 4, y: meanY - 6, "text-anchor": "end", class: "mean-text" }, group);
    label.textContent = `${words.lab_mean} ${formatLoss(state.mean)}`;
    svg.setAttribute("aria-label", `${words.lab_losses}: ${words.lab_mean} ${formatLoss(state.mean)}`);
  }

  // --- the loss surface ---------------------------------------------------------------------

  const wRange = lab.window.w;
  const bRange = lab.window.b;
  const GRID = 72; // cells across and down
  const EXACT_ROWS = 4000; // beyond this, the picture (not a number) uses points grouped by x
  const BINS = 512;
  let surfaceFrame = null;
  let surfaceValues = null;

  // The points the picture sums over: every row, or per class the rows grouped in bins
  // of x at their mean x, each weighing its count.
  function surfacePoints() {
    if (rows <= EXACT_ROWS) return { x: xs, y: ys, weight: new Float64Array(rows).fill(1) };
    const low = lab.window.x[0];
    const width = (lab.window.x[1] - low) / BINS || 1;
    const sums = new Float64Array(2 * BINS);
    const counts = new Float64Array(2 * BINS);
    for (let i = 0; i < rows; i++) {
      const bin = Math.min(BINS - 1, Math.floor((xs[i] - low) / width)) + ys[i] * BINS;
      sums[bin] += xs[i];
      counts[bin] += 1;
    }
    const x = [];
    const y = [];
    const weight = [];
    for (let k = 0; k < 2 * BINS; k++) {
      if (!counts[k]) continue;
      x.push(sums[k] / counts[k]);
      y.push(k >= BINS ? 1 : 0);
      weight.push(counts[k]);
    }
    return { x, y, weight };
  }

  function computeSurface() {
    const points = surfacePoints();
    const values = new Float64Array(GRID * GRID);
    for (let row = 0; row < GRID; row++) {
      const b = bRange[1] - ((row + 0.5) / GRID) * (bRange[1] - bRange[0]);
      for (let column = 0; column < GRID; column++) {
        const w = wRange[0] + ((column + 0.5) / GRID) * (wRange[1] - wRange[0]);
        let sum = 0;
        for (let i = 0; i < points.x.length; i++) {
          sum += points.weight[i] * logitLoss(points.y[i], w * points.x[i] + b);
        }
        values[row * GRID + column] = sum / rows;
      }
    }
    return values;
  }

  function hexColour(name) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const hex = value.replace("#", "");
    return [0, 2, 4].map((k) => parseInt(hex.slice(k, k + 2), 16));
  }

  // The heat map: low mean loss in the background's colour, high in the loss colour, on a
  // log scale; drawn once, as the window never moves.
  function paintSurface() {
    const canvas = $("surface-map");
    canvas.width = GRID;
    canvas.height = GRID;
    const context = canvas.getContext("2d");
    const image = context.createImageData(GRID, GRID);
    const logs = Array.from(surfaceValues, Math.log);
    const low = Math.min(...logs);
    const high = Math.max(...logs);
    const from = hexColour("--background");
    const to = hexColour("--loss");
    logs.forEach((value, k) => {
      const t = 0.85 * ((value - low) / (high - low || 1)) ** 0.8;
      for (let c = 0; c < 3; c++) image.data[4 * k + c] = Math.round(from[c] + t * (to[c] - from[c]));
      image.data[4 * k + 3] = 255;
    });
    context.putImageData(image, 0, 0);
  }

  // Contour lines of the mean loss (marching squares over the cell centres), made once
  // per size of the figure.
  let contourCache = { width: 0, paths: [] };
  function contours(f, group) {
    if (contourCache.width !== f.width) contourCache = { width: f.width, paths: contourPaths(f) };
    for (const d of contourCache.paths) node("path", { d, class: "contour" }, group);
  }

  function contourPaths(f) {
    const paths = [];
    const logs = Array.from(surfaceValues, Math.log);
    const low = Math.min(...logs);
    const high = Math.max(...logs);
    const at = (row, column) => logs[row * GRID + column];
    const cx = (column) => f.px(wRange[0] + ((column + 0.5) / GRID) * (wRange[1] - wRange[0]));
    const cy = (row) => f.py(bRange[1] - ((row + 0.5) / GRID) * (bRange[1] - bRange[0]));
    for (let level = 1; level <= 7; level++) {
      const value = low + ((high - low) * level ** 1.6) / 8 ** 1.6;
      let path = "";
      for (let row = 0; row + 1 < GRID; row++) {
        for (let column = 0; column + 1 < GRID; column++) {
          const corners = [
            [at(row, column), cx(column), cy(row)],
            [at(row, column + 1), cx(column + 1), cy(row)],
            [at(row + 1, column + 1), cx(column + 1), cy(row + 1)],
            [at(row + 1, column), cx(column), cy(row + 1)],
          ];
          const crossings = [];
          for (let k = 0; k < 4; k++) {
            const [va, xa, ya] = corners[k];
            const [vb, xb, yb] = corners[(k + 1) % 4];
            if ((va < value) !== (vb < value)) {
              const t = (value - va) / (vb - va);
              crossings.push([xa + t * (xb - xa), ya + t * (yb - ya)]);
            }
          }
          for (let k = 0; k + 1 < crossings.length; k += 2) {
            const [a, b] = [crossings[k], crossings[k + 1]];
            path += `M${a[0].toFixed(1)},${a[1].toFixed(1)}L${b[0].toFixed(1)},${b[1].toFixed(1)}`;
          }
        }
      }
      if (path) paths.push(path);
    }
    return paths;
  }

  function drawSurface() {
    const svg = $("surface");
    const f = frame(svg, 0.8, wRange, bRange, [48, 12, 24, 34]);
    surfaceFrame = f;
    const canvas = $("surface-map");
    Object.assign(canvas.style, {
      left: `${f.left}px`, top: `${f.top}px`,
      width: `${f.width - f.left - f.right}px`, height: `${f.height - f.top - f.bottom}px`,
    });
    const group = layer(svg);
    contours(f, group);
    axes(group, f, ticks(wRange[0], wRange[1], 5), ticks(bRange[0], bRange[1], 5), formatParameter,
      formatParameter, "w", "b");
    const inside = (w, b) => w >= wRange[0] && w <= wRange[1] && b >= bRange[0] && b <= bRange[1];
    const trail = (points, className) => {
      const shown = points.filter((p) => inside(p.w, p.b));
      if (shown.length > 1) {
        node("path", { d: shown.map((p, k) => `${k ? "L" : "M"}${f.px(p.w)},${f.py(p.b)}`).join(""), class: className }, group);
      }
      for (const p of shown) node("circle", { cx: f.px(p.w), cy: f.py(p.b), r: 3.5, class: `${className}-dot` }, group);
    };
    trail(lab.states.steps, "path");
    trail(userPath, "user-path");
    const fit = lab.states.fit;
    node("circle", { cx: f.px(fit.w), cy: f.py(fit.b), r: 7, class: "minimum" }, group);
    if (lab.states.free && inside(lab.states.free.w, lab.states.free.b)) {
      const free = lab.states.free;
      node("rect", { x: f.px(free.w) - 5, y: f.py(free.b) - 5, width: 10, height: 10, class: "free-mark" }, group);
    }
    const base = lab.states.baseline;
    if (inside(base.w, base.b)) {
      node("path", { d: `M${f.px(base.w)},${f.py(base.b) - 7}l6,11h-12z`, class: "baseline-mark" }, group);
    }
    const w = Math.min(Math.max(state.w, wRange[0]), wRange[1]);
    const b = Math.min(Math.max(state.b, bRange[0]), bRange[1]);
    const text = `w = ${formatParameter(state.w)}, b = ${formatParameter(state.b)}`;
    handle(svg, "surface-handle", f.px(w), f.py(b), "ring", words.lab_surface_point, state.w, text);
  }

  // --- the controls ------------------------------------------------------------------------

  const SLIDER_STEPS = 1000;
  const wStep = (wRange[1] - wRange[0]) / SLIDER_STEPS;
  const bStep = (bRange[1] - bRange[0]) / SLIDER_STEPS;

  function setupControls() {
    for (const [name, range] of [["w", wRange], ["b", bRange]]) {
      const slider = $(`${name}-range`);
      slider.min = String(range[0]);
      slider.max = String(range[1]);
      slider.step = String((range[1] - range[0]) / SLIDER_STEPS);
      slider.addEventListener("input", () => set({ [name]: Number(slider.value) }));
      const number = $(`${name}-number`);
      number.addEventListener("change", () => {
        const value = Number(number.value);
        if (number.value.trim() !== "" && Number.isFinite(value)) set({ [name]: value });
        else number.value = formatParameter(state[name]); // not a number: back to the state
      });
    }
    $("flat").addEventListener("click", () => go("flat"));
    $("fit").addEventListener("click", () => go("fit"));
    $("free").addEventListener("click", () => go("free"));
    $("step").addEventListener("click", () => step());
    $("penalty-toggle").hidden = !hasPenalty;
    $("free").disabled = !lab.free_exists;
    $("penalty").addEventListener("change", () => set({ C: $("penalty").checked ? lab.C : null }));
    $("point").addEventListener("change", () => {
      selected = Number($("point").value);
      update();
    });
  }

  // Arrow keys on a handle: a slider's step (ten with Shift).
  function onHandleKey(event) {
    const target = event.target.closest(".handle");
    if (!target) return;
    const big = event.shiftKey ? 10 : 1;
    const moves = {
      "midpoint-handle": { ArrowRight: ["b", 1], ArrowLeft: ["b", -1], ArrowUp: ["b", 1], ArrowDown: ["b", -1] },
      "slope-handle": { ArrowRight: ["w", 1], ArrowLeft: ["w", -1], ArrowUp: ["w", 1], ArrowDown: ["w", -1] },
      "surface-handle": { ArrowRight: ["w", 1], ArrowLeft: ["w", -1], ArrowUp: ["b", 1], ArrowDown: ["b", -1] },
    }[target.id];
    const move = moves && moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [name, sign] = move;
    set({ [name]: state[name] + sign * big * (name === "w" ? wStep : bStep) });
  }

  // Dragging: the midpoint handle puts the curve through the pointer (moves b), the
  // steepness handle turns it about the midpoint (moves w), the surface takes (w, b).
  function onPointerDown(event) {
    const surface = event.target.closest("#surface");
    const target = event.target.closest(".handle");
    if (!surface && !target) return;
    event.preventDefault();
    const kind = target ? target.id : "surface-handle";
    const svg = surface || $("curve");
    const pivotX = midpointX();
    const pivotT = state.w * pivotX + state.b;
    const move = (e) => {
      const box = svg.getBoundingClientRect();
      const h = e.clientX - box.left;
      const v = e.clientY - box.top;
      if (kind === "surface-handle") {
        set({ w: surfaceFrame.fromPx(h), b: surfaceFrame.fromPy(v) });
        return;
      }
      const x = curveFrame.fromPx(h);
      const p = Math.min(Math.max(curveFrame.fromPy(v), 0.001), 0.999);
      const logit = Math.log(p / (1 - p));
      if (kind === "midpoint-handle") set({ b: logit - state.w * x });
      else if (Math.abs(x - pivotX) > 1e-9 * xSpan) {
        const w = (logit - pivotT) / (x - pivotX);
        set({ w, b: pivotT - w * pivotX });
      }
    };
    move(event);
    const up = () => {
      removeEventListener("pointermove", move);
      removeEventListener("pointerup", up);
    };
    addEventListener("pointermove", move);
    addEventListener("pointerup", up);
  }

  // --- moving -------------------------------------------------------------------------------

  let frameRequested = false;
  let liveTimer = 0;

  function set(next) {
    if ("w" in next && Number.isFinite(next.w)) state.w = next.w;
    if ("b" in next && Number.isFinite(next.b)) state.b = next.b;
    if ("C" in next) state.penaltyOn = hasPenalty && next.C !== null && next.C !== "none";
    $("step-note").hidden = true;
    state.mean = meanLoss(state.w, state.b);
    writeHash();
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(() => {
        frameRequested = false;
        update();
      });
    }
  }

  function go(name) {
    if (name === "free" && !lab.free_exists) return;
    const target = lab.states[name];
    userPath.length = 0;
    set({ w: target.w, b: target.b, C: name === "free" ? null : lab.C });
  }

  function step() {
    const moved = newtonStep(state.w, state.b, penalty());
    if (!userPath.length) userPath.push({ w: state.w, b: state.b });
    if (!moved) {
      $("step-note").hidden = false;
      $("step-note").textContent = words.lab_at_minimum;
      return;
    }
    userPath.push({ w: moved.w, b: moved.b });
    set({ w: moved.w, b: moved.b });
    if (moved.converged) {
      $("step-note").hidden = false;
      $("step-note").textContent = words.lab_at_minimum;
    }
  }

  function writeHash() {
    const C = hasPenalty ? `&C=${state.penaltyOn ? lab.C : "none"}` : "";
    history.replaceState(null, "", `${location.pathname}${location.search}#w=${state.w}&b=${state.b}${C}`);
  }

  // The URL's state: #w=..&b=..(&C=..), or #state=flat|fit|free|baseline|step<k>.
  function readHash() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const named = hash.get("state");
    const C = hash.get("C");
    const penaltyGiven = C === null ? {} : { C: C === "none" ? null : Number(C) };
    if (named) {
      const stepMatch = /^step(\d+)$/.exec(named);
      if (stepMatch) {
        const k = Math.min(Number(stepMatch[1]), lab.states.steps.length - 1);
        return { ...lab.states.steps[k], ...penaltyGiven };
      }
      if (named in lab.states && lab.states[named] && named !== "steps") {
        return { ...lab.states[named], C: named === "free" ? null : lab.C, ...penaltyGiven };
      }
    }
    const w = Number(hash.get("w"));
    const b = Number(hash.get("b"));
    if (hash.has("w") && hash.has("b") && Number.isFinite(w) && Number.isFinite(b)) {
      return { w, b, ...penaltyGiven };
    }
    return { ...lab.states.fit, C: lab.C };
  }

  // --- the page --------------------------------------------------------------------------

  function update() {
    drawCurve();
    drawLosses();
    drawSurface();
    for (const name of ["w", "b"]) {
      $(`${name}-range`).value = String(state[name]);
      const number = $(`${name}-number`);
      if (document.activeElement !== number) number.value = formatParameter(state[name]);
    }
    $("mean").value = formatLoss(state.mean);
    $("mean").textContent = formatLoss(state.mean);
    $("penalty").checked = state.penaltyOn;
    clearTimeout(liveTimer);
    // After the pointer or key rests: a screen reader hears the result, not every frame.
    liveTimer = setTimeout(speak, 400);
  }

  function speak() {
    $("live").textContent = fill(words.lab_live, {
      mean: formatLoss(state.mean),
      label: labelOf(selected),
      x: formatParameter(xs[selected]),
      loss: formatLoss(losses[selected]),
    });
  }

  function fillWords() {
    words = film.words;
    document.documentElement.lang = film.language;
    document.title = `${words.lab_title} · ${film.title}`;
    $("lab-title").textContent = words.lab_title;
    $("source").textContent = fill(words.data, { source: film.source });
    const note = $("sample-note");
    note.hidden = lab.drawn.length >= rows;
    note.textContent = fill(words.lab_sample, { shown: lab.drawn.length, n: rows });
    $("surface-note").hidden = rows <= EXACT_ROWS;
    $("surface-note").textContent = words.lab_surface_binned;
    // Back to the film: at the chapter the lab was opened from, if it came from one.
    const from = film.chapters.find((chapter) => chapter.name === openedFrom);
    $("back").textContent = from ? `${words.lab_back}: ${from.heading}` : words.lab_back;
    const query = page.films.length > 1 ? `?lang=${film.language}` : "";
    $("back").href = `index.html${query}${from ? `#t=${from.start}` : ""}`;
    $("curve-heading").textContent = words.lab_curve;
    $("curve-hint").textContent = words.lab_curve_hint;
    $("losses-heading").textContent = words.lab_losses;
    $("surface-heading").textContent = words.lab_surface;
    $("surface-hint").textContent = words.lab_surface_hint;
    $("surface").setAttribute("aria-label", words.lab_surface);
    $("surface").setAttribute("role", "group");
    $("curve").setAttribute("aria-label", words.lab_curve);
    $("curve").setAttribute("role", "group");
    $("mean-label").textContent = words.lab_mean;
    $("w-label").textContent = words.lab_weight;
    $("b-label").textContent = words.lab_intercept;
    $("flat").textContent = words.lab_flat;
    $("step").textContent = words.lab_step;
    $("fit").textContent = words.lab_fit;
    $("free").textContent = words.lab_free;
    $("free").title = lab.free_exists ? "" : words.lab_no_free;
    $("penalty-label").textContent = fill(words.lab_penalty, { C: hasPenalty ? formatParameter(lab.C) : "" });
    $("point-label").textContent = words.lab_point;
    $("steps-heading").textContent = words.lab_steps;
    $("film-heading").textContent = words.lab_in_film;
    $("surface-legend").replaceChildren(
      element("li", "legend-minimum", words.lab_fitted),
      element("li", "legend-path", words.lab_path),
      element("li", "legend-baseline", fill(words.lab_baseline, { loss: numbers().baseline_loss })),
    );
    fillPoints();
    fillSteps();
    fillChapters();
    fillLanguages();
  }

  function fillPoints() {
    $("point").replaceChildren(
      ...drawnByX.map((i) => {
        const option = element("option", "", fill(words.lab_point_option, {
          x: formatParameter(xs[i]), label: labelOf(i),
        }));
        option.value = String(i);
        option.selected = i === selected;
        return option;
      }),
    );
  }

  function fillSteps() {
    $("steps").replaceChildren(
      ...lab.states.steps.map((s, k) => {
        const item = element("li");
        const link = element("a", "", `${fill(words.lab_step_of, { k })}: ${numbers().steps[k]}`);
        link.href = `#state=step${k}`;
        item.append(link);
        return item;
      }),
    );
  }

  function fillChapters() {
    const query = page.films.length > 1 ? `?lang=${film.language}` : "";
    $("film-chapters").replaceChildren(
      ...film.chapters.flatMap((chapter, index) => {
        if (!chapter.lab) return [];
        const item = element("li");
        const link = element("a", "", fill(words.lab_chapter, { n: index + 1, heading: chapter.heading }));
        link.href = `index.html${query}#t=${chapter.start}`;
        link.dataset.chapter = chapter.name;
        const open = element("a", "muted", `(${words.lab})`);
        open.href = `#state=${chapter.lab}`;
        item.append(link, " ", open);
        return [item];
      }),
    );
    $("film-heading").hidden = !$("film-chapters").children.length;
  }

  function fillLanguages() {
    const languages = $("languages");
    languages.hidden = page.films.length < 2;
    languages.setAttribute("aria-label", words.film);
    languages.replaceChildren(
      ...page.films.map((other) => {
        const button = element("button", "language", other.words.language_name);
        button.type = "button";
        button.lang = other.language;
        button.setAttribute("aria-pressed", String(other === film));
        button.addEventListener("click", () => {
          film = other;
          history.replaceState(null, "", `?lang=${other.language}${location.hash}`);
          fillWords();
          update();
          speak();
        });
        return button;
      }),
    );
  }

  // --- the public interface (README: "The lab") ---------------------------------------------

  window.bceLab = {
    state: () => ({
      w: state.w,
      b: state.b,
      C: state.penaltyOn ? lab.C : null,
      meanLoss: state.mean,
      losses: Array.from(losses),
    }),
    set: (next) => {
      set(next);
      update();
      return window.bceLab.state();
    },
    step: () => {
      step();
      update();
      return window.bceLab.state();
    },
    fit: () => {
      go("fit");
      update();
      return window.bceLab.state();
    },
    // For tests: the core's formulas and the film's rounding, as the lab uses them.
    core: { sigmoid, logitLoss, clippedLoss, meanLoss, newtonStep, baselineLoss, objective },
    format: { loss: formatLoss, parameter: formatParameter, fixed: formatFixed, general: formatGeneral },
  };

  setupControls();
  document.addEventListener("keydown", onHandleKey);
  document.addEventListener("pointerdown", onPointerDown);
  addEventListener("hashchange", () => {
    userPath.length = 0;
    set(readHash());
    update();
  });
  state.mean = meanLoss(state.w, state.b);
  const start = readHash();
  state.w = start.w;
  state.b = start.b;
  if ("C" in start) state.penaltyOn = hasPenalty && start.C !== null;
  state.mean = meanLoss(state.w, state.b);
  const selectWorst = () => {
    let worst = lab.drawn[0];
    for (const i of lab.drawn) if (losses[i] > losses[worst]) worst = i;
    return worst;
  };
  selected = selectWorst();
  surfaceValues = computeSurface();
  fillWords();
  paintSurface();
  update();
  speak();
  new ResizeObserver(() => update()).observe(document.querySelector(".lab"));
})();
