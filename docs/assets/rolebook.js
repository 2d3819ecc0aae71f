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
  // row is not that role's row. Rows without a header cell are matched by data-rb-row.
  function filterKey(row) {
    var header = row.querySelector("th[scope=row]");
    var key = header ? header.textContent : row.dataset.rbRow || "";
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

  function setupGraph() {
    var svg = document.getElementById("rb-graph");
    if (!svg || !once(svg, "rbReady")) return;
    var focus = document.querySelector("[data-rb-focus]");
    function refresh() {
      var shown = {};
      document.querySelectorAll("[data-rb-edge]").forEach(function (box) { shown[box.dataset.rbEdge] = box.checked; });
      var role = focus ? focus.value : "";
      var near = {};
      svg.querySelectorAll(".rb-edge").forEach(function (edge) {
        var visible = shown[edge.dataset.type];
        edge.style.display = visible ? "" : "none";
        var touches = !role || edge.dataset.source === role || edge.dataset.target === role;
        edge.classList.toggle("rb-dim", !touches);
        if (visible && touches && role) { near[edge.dataset.source] = true; near[edge.dataset.target] = true; }
      });
      svg.querySelectorAll(".rb-node").forEach(function (node) {
        node.classList.toggle("rb-dim", !!role && !near[node.dataset.role] && node.dataset.role !== role);
      });
    }
    document.querySelectorAll("[data-rb-edge]").forEach(function (box) { box.addEventListener("change", refresh); });
    if (focus) focus.addEventListener("change", refresh);
    refresh();
  }

  // The item a link lands on (a "Referenced by" row, a matrix badge, a line of the source
  // view) is highlighted. CSS :target does it on a page load; Material's instant navigation
  // changes the address with history.pushState, which leaves :target behind.
  function markLanding() {
    document.querySelectorAll(".rb-landed").forEach(function (element) { element.classList.remove("rb-landed"); });
    var id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
    var target = id ? document.getElementById(id) : null;
    if (target && target.closest(".rb-body, .rb-source")) target.classList.add("rb-landed");
  }

  function init() {
    markLanding();
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
