// Rolebook: filters and sorting for matrix tables, toggles for the relations graph.
// Everything these act on is already in the page; without this script, nothing is hidden.
(function () {
  "use strict";

  function once(element, key) {
    if (element.dataset[key]) return false;
    element.dataset[key] = "1";
    return true;
  }

  // What a filter box matches in a row: its header cell (the role of a matrix row, the
  // topic of a comparison row), never the rest of its text — a role named in another role's
  // row is not that role's row. Rows without a header cell are matched by data-rb-row, else
  // by all their text (the relations graph's table: from, relation, to).
  function filterKey(row) {
    var header = row.querySelector("th[scope=row]");
    var key = header ? header.textContent
      : row.dataset.rbRow !== undefined ? row.dataset.rbRow
      : Array.prototype.map.call(row.cells, function (cell) { return cell.textContent; }).join(" ");
    return key.replace(/\s+/g, " ").trim().toLowerCase();
  }

  function setupFilters() {
    document.querySelectorAll("[data-rb-filter]").forEach(function (input) {
      var table = document.getElementById(input.dataset.rbFilter);
      if (!table || !once(input, "rbReady")) return;
      input.addEventListener("input", function () {
        var query = input.value.replace(/\s+/g, " ").trim().toLowerCase();
        table.querySelectorAll("tbody tr").forEach(function (row) {
          row.hidden = query !== "" && filterKey(row).indexOf(query) === -1;
        });
      });
    });
  }

  function setupColumns() {
    document.querySelectorAll("[data-rb-columns]").forEach(function (select) {
      var table = document.getElementById(select.dataset.rbColumns);
      if (!table || !once(select, "rbReady")) return;
      select.addEventListener("change", function () {
        table.querySelectorAll("[data-area]").forEach(function (cell) {
          cell.hidden = select.value !== "" && cell.dataset.area !== select.value;
        });
      });
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
  }

  function setupSorting() {
    document.querySelectorAll("table.rb-matrix th[data-rb-sort]").forEach(function (header) {
      if (!once(header, "rbReady")) return;
      header.tabIndex = 0;
      header.title = "Sort by this column";
      function sort() {
        var table = header.closest("table");
        var body = table.tBodies[0];
        var index = Array.prototype.indexOf.call(header.parentNode.children, header);
        var descending = header.getAttribute("aria-sort") === "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index), y = cellValue(b, index);
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      header.addEventListener("click", sort);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  // The relations graph: its layout is in the page (drawn at build time); this adds focus on a
  // role, relation-type toggles, and pan and zoom by changing the SVG's viewBox.
  function setupGraph() {
    var svg = document.getElementById("rb-graph");
    if (!svg || !once(svg, "rbReady")) return;
    var figure = svg.closest(".rb-graph-figure") || svg.parentNode;
    figure.querySelectorAll(".rb-graph-tools[hidden]").forEach(function (tools) { tools.hidden = false; });
    var focus = figure.querySelector("[data-rb-focus]");
    var status = figure.querySelector(".rb-graph-status");
    var boxes = figure.querySelectorAll("[data-rb-edge]");
    var nodes = {};
    svg.querySelectorAll(".rb-node").forEach(function (node) { nodes[node.dataset.role] = node; });
    var base = svg.viewBox.baseVal;
    var full = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: full.x, y: full.y, w: full.w, h: full.h };

    // Width / height of the picture's box on the screen (a phone's is taller than the picture).
    function aspect() {
      var rect = svg.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0 ? rect.width / rect.height : full.w / full.h;
    }

    // Show the region `next`, grown to the box's shape, no closer than a twentieth of the
    // picture and no farther than all of it with room around.
    function show(next) {
      var ratio = aspect();
      var w = next.w, h = next.h;
      if (w / h < ratio) w = h * ratio; else h = w / ratio;
      var most = Math.max(full.w, full.h * ratio) * 1.5;
      var scale = Math.min(Math.max(w, full.w / 20, 160), most) / w;
      w *= scale; h *= scale;
      view = { x: next.x + next.w / 2 - w / 2, y: next.y + next.h / 2 - h / 2, w: w, h: h };
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) { return n.toFixed(1); }).join(" "));
    }

    function zoom(factor, cx, cy) {
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      show({ x: cx - (cx - view.x) / factor, y: cy - (cy - view.y) / factor, w: view.w / factor, h: view.h / factor });
    }

    // The point of the picture under a pointer event.
    function pointAt(event) {
      var matrix = svg.getScreenCTM();
      if (!matrix) return { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      return { x: point.x, y: point.y };
    }

    function refresh() {
      var shown = {};
      boxes.forEach(function (box) { shown[box.dataset.rbEdge] = box.checked; });
      var role = focus ? focus.value : "";
      var near = {};
      var count = 0;
      svg.querySelectorAll(".rb-edge-group").forEach(function (group) {
        group.style.display = shown[group.dataset.type] ? "" : "none";
      });
      svg.querySelectorAll(".rb-edge").forEach(function (edge) {
        var visible = shown[edge.parentNode.dataset.type];
        var touches = edge.dataset.source === role || edge.dataset.target === role;
        edge.classList.toggle("rb-dim", !!role && !touches);
        edge.classList.toggle("rb-near", !!role && touches);
        if (visible && touches && role) {
          count += 1;
          near[edge.dataset.source] = true;
          near[edge.dataset.target] = true;
        }
      });
      Object.keys(nodes).forEach(function (id) {
        var node = nodes[id];
        node.classList.toggle("rb-focus", id === role);
        node.classList.toggle("rb-near", !!role && id !== role && !!near[id]);
        node.classList.toggle("rb-dim", !!role && id !== role && !near[id]);
      });
      if (status) status.textContent = "";
      if (role && nodes[role] && status) {
        var link = nodes[role].querySelector("a");
        var name = nodes[role].textContent;
        var others = Object.keys(near).filter(function (id) { return id !== role; }).length;
        status.append(
          name + ": " + count + " relation" + (count === 1 ? "" : "s") + " shown, with " + others +
          " role" + (others === 1 ? "" : "s") + ". "
        );
        var open = document.createElement("a");
        open.href = link ? link.getAttribute("xlink:href") || link.getAttribute("href") : "";
        open.textContent = "Open " + name + "’s page";
        status.append(open);
      }
      return near;
    }

    // Zoom to a role and its neighbours, and bring the picture into the window.
    function focusOn(role) {
      if (focus) focus.value = role;
      var near = refresh();
      if (!role || !nodes[role]) { show(full); return; }
      var ids = Object.keys(near);
      if (ids.indexOf(role) === -1) ids.push(role);
      var box = null;
      ids.forEach(function (id) {
        var b = nodes[id].getBBox();
        box = box ? {
          x1: Math.min(box.x1, b.x), y1: Math.min(box.y1, b.y),
          x2: Math.max(box.x2, b.x + b.width), y2: Math.max(box.y2, b.y + b.height)
        } : { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height };
      });
      var pad = 30;
      var region = { x: box.x1 - pad, y: box.y1 - pad, w: box.x2 - box.x1 + 2 * pad, h: box.y2 - box.y1 + 2 * pad };
      // Labels stay readable (at least 0.6 of their size, about 8 px): if the neighbours do
      // not all fit on this screen, centre on the role and let them be panned to.
      var rect = svg.getBoundingClientRect();
      var ratio = aspect();
      var widest = rect.width / 0.6;
      if (Math.max(region.w, region.h * ratio) > widest) {
        var own = nodes[role].querySelector("circle");
        var cx = own.cx.baseVal.value, cy = own.cy.baseVal.value;
        region = { x: cx - widest / 4, y: cy - widest / ratio / 2, w: widest, h: widest / ratio };
      }
      show(region);
      var rect = figure.getBoundingClientRect();
      if (rect.top < 0 || rect.bottom > window.innerHeight) figure.scrollIntoView({ block: "start" });
    }

    boxes.forEach(function (box) { box.addEventListener("change", refresh); });
    if (focus) focus.addEventListener("change", function () { focusOn(focus.value); });

    // A click on a role focuses it; a click on the focused role follows its link.
    var dragged = false;
    svg.addEventListener("click", function (event) {
      if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; return; }
      var node = event.target.closest(".rb-node");
      if (!node) { if (focus && focus.value) focusOn(""); return; }
      if (focus && focus.value === node.dataset.role) return;
      event.preventDefault();
      event.stopPropagation();
      focusOn(node.dataset.role);
    }, true);

    // Escape leaves the focus.
    svg.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && focus && focus.value) focusOn("");
    });

    // Drag to pan.
    var start = null;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      start = { x: event.clientX, y: event.clientY, view: view, scale: view.w / svg.getBoundingClientRect().width };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!start) return;
      var dx = event.clientX - start.x, dy = event.clientY - start.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!dragged) { dragged = true; svg.setPointerCapture(event.pointerId); svg.classList.add("rb-panning"); }
      show({ x: start.view.x - dx * start.scale, y: start.view.y - dy * start.scale, w: start.view.w, h: start.view.h });
    });
    function stop() { start = null; svg.classList.remove("rb-panning"); }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);

    // Ctrl + scroll (and a trackpad's pinch) zooms at the pointer; plain scroll scrolls the page.
    svg.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      var point = pointAt(event);
      zoom(Math.exp(-event.deltaY / 300), point.x, point.y);
    }, { passive: false });

    var buttons = document.createElement("div");
    buttons.className = "rb-graph-zoom";
    [["+", "Zoom in", function () { zoom(1.5); }], ["−", "Zoom out", function () { zoom(1 / 1.5); }],
     ["All", "Show the whole graph", function () { show(full); }]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.title = spec[1];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", spec[2]);
      buttons.appendChild(button);
    });
    (figure.querySelector(".rb-graph-bar") || svg.parentNode).appendChild(buttons);

    // A new box shape (a turned phone, a resized window) keeps the same region in view.
    var shape = aspect();
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        if (Math.abs(aspect() / shape - 1) < 0.01) return;
        shape = aspect();
        show(view);
      }).observe(svg);
    }
    show(full);
    refresh();
    if (focus && focus.value) focusOn(focus.value);
  }

  // The item a link lands on (a "Referenced by" row, a matrix badge, a line of the source
  // view) is highlighted. CSS :target does it on a page load; Material's instant navigation
  // changes the address with history.pushState, which leaves :target behind.
  // navigation.tracking rewrites the address to the heading in view as the page scrolls,
  // and on a slow machine it can do so before the new page is set up: the link that was
  // followed is remembered when it is clicked (in session storage too, for a link that
  // loads a new document), and an address that names a heading (what tracking writes)
  // leaves the highlight where the link put it. The new page may come before or after the
  // new address: the remembered link waits for both.
  var FOLLOWED = "rolebook.followed";
  var followed = null;
  try {
    followed = JSON.parse(sessionStorage.getItem(FOLLOWED) || "null");
    sessionStorage.removeItem(FOLLOWED);
  } catch (error) {
    followed = null;
  }
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link) return;
    var url = new URL(link.href, location.href);
    followed = url.origin === location.origin && url.hash ? { path: url.pathname, hash: url.hash } : null;
    try {
      if (followed) sessionStorage.setItem(FOLLOWED, JSON.stringify(followed));
      else sessionStorage.removeItem(FOLLOWED);
    } catch (error) {
      // storage may be disabled: instant navigation still has `followed`
    }
  }, true);

  function markLanding() {
    var hash = location.hash;
    if (followed && followed.path === location.pathname) {
      // Before the new page is in place the followed item is not there yet: wait for it.
      if (!document.getElementById(decodeURIComponent(followed.hash.slice(1)))) return;
      hash = followed.hash;
      followed = null;
      try { sessionStorage.removeItem(FOLLOWED); } catch (error) { /* nothing kept */ }
    }
    var id = hash ? decodeURIComponent(hash.slice(1)) : "";
    var target = id ? document.getElementById(id) : null;
    if (!target || !target.closest(".rb-body, .rb-source") || /^H[1-6]$/.test(target.tagName)) return;
    document.querySelectorAll(".rb-landed").forEach(function (element) { element.classList.remove("rb-landed"); });
    target.classList.add("rb-landed");
  }

  function init() {
    markLanding();
    // a followed link whose page is here but names nothing on it is done with; one whose
    // address has not changed yet is still on its way
    if (followed && followed.path === location.pathname) followed = null;
    setupFilters();
    setupColumns();
    setupSorting();
    setupGraph();
  }

  window.addEventListener("hashchange", markLanding);
  if (typeof window.location$ !== "undefined" && window.location$.subscribe) {
    window.location$.subscribe(function () { setTimeout(markLanding, 0); });
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
