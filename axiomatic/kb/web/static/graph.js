// Pan and zoom for the dependency graph: the SVG's viewBox is the camera. Wheel or +/- zoom around the pointer,
// drag pans, "fit" (or 0) shows everything; a click that ends a drag does not open a node.
(function () {
  "use strict";
  var svg = document.getElementById("graph");
  if (!svg) return;
  var W = parseFloat(svg.dataset.width), H = parseFloat(svg.dataset.height);
  var NODE_W = 168, MIN_W = 240;  // the closest view: about one and a half boxes across
  var vb = { x: 0, y: 0, w: W, h: H };
  var edgesOf = {};
  Array.prototype.forEach.call(svg.querySelectorAll(".edge"), function (e) {
    (edgesOf[e.dataset.src] = edgesOf[e.dataset.src] || []).push(e);
    (edgesOf[e.dataset.dst] = edgesOf[e.dataset.dst] || []).push(e);
  });

  function aspect() { return Math.max(1, svg.clientWidth) / Math.max(1, svg.clientHeight); }
  function maxW() { return Math.max(W, H * aspect()) * 3; }
  function apply() {
    svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].map(function (v) { return v.toFixed(2); }).join(" "));
  }
  function clampPan() {
    // keep some of the drawing on screen, whatever the pan
    vb.x = Math.min(Math.max(vb.x, -vb.w * 0.9), W - vb.w * 0.1);
    vb.y = Math.min(Math.max(vb.y, -vb.h * 0.9), H - vb.h * 0.1);
  }
  function setWidth(w, cx, cy, fx, fy) {
    // new width w, keeping the drawing point (cx, cy) at the fraction (fx, fy) of the view
    w = Math.min(Math.max(w, MIN_W), maxW());
    var h = w / aspect();
    vb = { x: cx - fx * w, y: cy - fy * h, w: w, h: h };
    clampPan();
    apply();
  }
  function fit() {
    var a = aspect(), pad = 1.03, w = W * pad;
    if (w / a < H * pad) w = H * pad * a;
    setWidth(Math.max(w, MIN_W), W / 2, H / 2, 0.5, 0.5);
  }
  function zoomBy(factor, fx, fy) {
    fx = fx === undefined ? 0.5 : fx;
    fy = fy === undefined ? 0.5 : fy;
    setWidth(vb.w / factor, vb.x + fx * vb.w, vb.y + fy * vb.h, fx, fy);
  }
  function nodeEl(id) {
    var found = null;
    Array.prototype.some.call(svg.querySelectorAll(".node"), function (n) {
      if (n.dataset.id === id) { found = n; return true; }
      return false;
    });
    return found;
  }
  function zoomTo(id) {
    var el = nodeEl(id);
    if (!el) return false;
    var m = el.transform.baseVal.consolidate().matrix;
    var bw = parseFloat(el.querySelector("rect").getAttribute("width"));
    var bh = parseFloat(el.querySelector("rect").getAttribute("height"));
    setWidth(NODE_W * 5, m.e + bw / 2, m.f + bh / 2, 0.5, 0.5);
    return true;
  }
  function fraction(evt) {
    var r = svg.getBoundingClientRect();
    return [(evt.clientX - r.left) / r.width, (evt.clientY - r.top) / r.height];
  }

  svg.addEventListener("wheel", function (evt) {
    evt.preventDefault();
    var f = fraction(evt), dy = evt.deltaMode === 1 ? evt.deltaY * 30 : evt.deltaY;
    zoomBy(Math.exp(-Math.max(-300, Math.min(300, dy)) * 0.0015), f[0], f[1]);
  }, { passive: false });

  var drag = null, moved = false;
  svg.addEventListener("pointerdown", function (evt) {
    if (evt.button !== 0) return;
    drag = { x: evt.clientX, y: evt.clientY, vx: vb.x, vy: vb.y, id: evt.pointerId };
    moved = false;
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    var dx = evt.clientX - drag.x, dy = evt.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!moved) { moved = true; svg.setPointerCapture(drag.id); svg.classList.add("panning"); }
    var scale = vb.w / svg.clientWidth;
    vb.x = drag.vx - dx * scale;
    vb.y = drag.vy - dy * scale;
    clampPan();
    apply();
  });
  function endDrag() { drag = null; svg.classList.remove("panning"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("click", function (evt) {
    if (moved) { evt.preventDefault(); evt.stopPropagation(); moved = false; }
  }, true);

  svg.addEventListener("mouseover", function (evt) {
    var n = evt.target.closest && evt.target.closest(".node");
    if (!n) return;
    (edgesOf[n.dataset.id] || []).forEach(function (e) { e.classList.add("lit"); });
  });
  svg.addEventListener("mouseout", function (evt) {
    var n = evt.target.closest && evt.target.closest(".node");
    if (!n) return;
    (edgesOf[n.dataset.id] || []).forEach(function (e) { e.classList.remove("lit"); });
  });

  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () {
      var what = b.dataset.zoom;
      if (what === "in") zoomBy(1.5); else if (what === "out") zoomBy(1 / 1.5); else fit();
    });
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.target.closest && evt.target.closest("input, select, textarea")) return;
    if (evt.key === "+" || evt.key === "=") zoomBy(1.5);
    else if (evt.key === "-") zoomBy(1 / 1.5);
    else if (evt.key === "0") fit();
  });
  var locate = document.getElementById("locate");
  if (locate) {
    locate.addEventListener("change", function () {
      svg.querySelectorAll(".node.located").forEach(function (n) { n.classList.remove("located"); });
      if (zoomTo(locate.value)) nodeEl(locate.value).classList.add("located");
    });
  }
  window.addEventListener("resize", function () { zoomBy(1); });

  fit();
  window.axGraph = {
    fit: fit, zoomBy: zoomBy, zoomTo: zoomTo,
    viewBox: function () { return { x: vb.x, y: vb.y, w: vb.w, h: vb.h }; },
    limits: function () { return { minWidth: MIN_W, maxWidth: maxW() }; }
  };
})();
