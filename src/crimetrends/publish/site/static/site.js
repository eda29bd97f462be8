// Render every chart spec on the page and make tables sortable (keyboard accessible).
(function () {
  document.querySelectorAll("script[type='application/json'][data-chart]").forEach(function (s) {
    var target = document.getElementById(s.dataset.chart);
    if (!target || typeof vegaEmbed === "undefined") { return; }
    vegaEmbed(target, JSON.parse(s.textContent), { actions: false, renderer: "svg" })
      .catch(function (err) { target.textContent = "Chart unavailable: " + err.message; });
  });
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
          var nx = parseFloat(x), ny = parseFloat(y);
          var empty = function (v) { return v === undefined || v === ""; };
          if (empty(x) && !empty(y)) { return 1; }
          if (!empty(x) && empty(y)) { return -1; }
          var d = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
