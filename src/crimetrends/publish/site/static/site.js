// crimetrends site: charts (vendored Vega), the page controls that drive them, chart export,
// sortable and scrollable tables, and the overview's search and filters (data/overview.js).
// Everything runs from the shipped files: no request leaves the site.
(function () {
  "use strict";
  var views = {};
  window.views = views;

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---- charts ----------------------------------------------------------------------------
  function wrap(text, width) {
    var max = Math.max(18, Math.floor((width - 16) / 7.4)), lines = [], line = "";
    String(text).split(" ").forEach(function (w) {
      if ((line + " " + w).trim().length > max && line) { lines.push(line); line = w; }
      else { line = (line + " " + w).trim(); }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : lines[0];
  }

  function fit(spec, el) {
    var width = el.clientWidth || 320;
    if (spec.title && typeof spec.title === "object" && typeof spec.title.text === "string") {
      spec.title.text = wrap(spec.title.text, width);
    } else if (typeof spec.title === "string") {
      spec.title = wrap(spec.title, width);
    }
    var meta = spec.usermeta || {};
    if (meta.aspect) {  // maps: true proportions, as wide as the page allows
      var w = width - 10, h = w / meta.aspect, maxH = Math.max(320, window.innerHeight * 0.8);
      if (h > maxH) { h = maxH; w = h * meta.aspect; }
      spec.width = Math.round(w);
      spec.height = Math.round(h);
    }
    return spec;
  }

  function embedAll() {
    var jobs = [];
    document.querySelectorAll("script[type='application/json'][data-chart]").forEach(function (s) {
      var id = s.dataset.chart, el = document.getElementById(id);
      if (!el || typeof vegaEmbed === "undefined") { return; }
      var spec = fit(JSON.parse(s.textContent), el);
      jobs.push(vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function (res) {
        views[id] = res.view;
        var actions = el.parentNode.querySelector(".chart-actions");
        if (actions) { actions.hidden = false; }
      }).catch(function (err) {
        el.textContent = "Chart unavailable: " + err.message;
      }));
    });
    return Promise.all(jobs);
  }

  function setSignal(view, name, value) {
    if (!view) { return Promise.resolve(); }
    try { view.signal(name, value); } catch (e) { return Promise.resolve(); }  // not its signal
    return view.runAsync();
  }

  function optionName(select, value) {
    var o = select && select.querySelector("option[value='" + value + "']");
    return o ? o.textContent.toLowerCase() : value;
  }

  function applyOffense(value) {
    var select = document.getElementById("pick-offense");
    document.querySelectorAll(".series-block").forEach(function (block) {
      var offered = block.dataset.chartOffenses.split(" ");
      var use = offered.indexOf(value) >= 0 ? value : block.dataset.fallback;
      var note = block.querySelector(".fallback-note");
      var grain = block.dataset.for === "chart-year" ? "year" : "month";
      if (note) {
        note.hidden = use === value;
        if (use !== value) {
          note.textContent = "No " + optionName(select, value) + " series per " + grain +
            " here; showing " + optionName(select, use) + " instead.";
        }
      }
      setSignal(views[block.dataset.for], "offense", use);
    });
    document.querySelectorAll(".reasons li").forEach(function (li) {
      li.hidden = li.dataset.offense !== value;
    });
  }

  function wireControls() {
    document.querySelectorAll("[data-signal]").forEach(function (input) {
      input.addEventListener("change", function () {
        var name = input.dataset.signal, value = input.value;
        if (input.type === "radio" && !input.checked) { return; }
        if (name === "offense") { applyOffense(value); return; }
        if (name === "year") { value = parseInt(value, 10); }
        Object.keys(views).forEach(function (id) {
          if (!input.dataset.target || input.dataset.target === id) {
            setSignal(views[id], name, value);
          }
        });
      });
    });
  }

  function wireExport() {
    document.querySelectorAll("button[data-export]").forEach(function (b) {
      b.addEventListener("click", function () {
        var id = b.dataset.chartId, view = views[id], kind = b.dataset.export;
        if (!view) { return; }
        view.toImageURL(kind, kind === "png" ? 2 : 1).then(function (url) {
          var a = document.createElement("a");
          a.href = url; a.download = id + "." + kind;
          document.body.appendChild(a); a.click(); a.remove();
        });
      });
    });
  }

  // ---- tables ----------------------------------------------------------------------------
  function markScrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (wrapEl) {
      var hint = wrapEl.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      var wide = wrapEl.scrollWidth > wrapEl.clientWidth + 1;
      if (wide && !has) {
        var p = document.createElement("p");
        p.className = "scroll-hint";
        p.textContent = "Scroll sideways for more columns \u2192";
        wrapEl.parentNode.insertBefore(p, wrapEl);
      } else if (!wide && has) { hint.remove(); }
    });
  }

  // ---- the overview ----------------------------------------------------------------------
  function fold(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9 ]+/g, "").trim();
  }

  function overview() {
    var data = window.OVERVIEW, table = document.getElementById("overview");
    if (!data || !table) { return; }
    var F = {};
    data.fields.forEach(function (f, i) { F[f] = i; });
    var state = { q: "", offense: "violent", st: "", cls: "", label: "", key: null, asc: true,
                  limit: 50 };
    var body = table.tBodies[0], status = document.getElementById("status");
    var pager = document.querySelector(".pager");
    var labels = { down: "label-down", up: "label-up", "no detectable change": "label-flat" };

    function matches(row) {
      var a = data.agencies[row[F.agency]];
      if (state.st && a[2] !== state.st) { return false; }
      if (state.cls && a[4] !== state.cls) { return false; }
      if (state.label) {
        var lab = row[F.label], pct = row[F.pct];
        var kind = pct === null ? "na" : lab === "down" ? "down" : lab === "up" ? "up" : "flat";
        if (state.label === "small" ? !row[F.small] : state.label !== kind) { return false; }
      }
      if (state.q) {
        var words = a[5].split(" ");
        return state.q.split(" ").every(function (q) {
          return words.some(function (w) { return w.indexOf(q) === 0; });
        });
      }
      return true;
    }

    function value(row, key) {
      var a = data.agencies[row[F.agency]];
      return { name: a[0], population: a[3], pct: row[F.pct], label: row[F.label],
               count: row[F.count], rate: row[F.rate], period: row[F.period],
               through: row[F.through] }[key];
    }

    function compare(x, y) {
      // comparable rows first and small numbers after them, whatever the sort
      var gx = (x[F.pct] === null ? 2 : 0) + x[F.small], gy = (y[F.pct] === null ? 2 : 0) + y[F.small];
      if (gx !== gy) { return gx - gy; }
      if (!state.key) { return 0; }  // the order shipped: largest cities first
      var a = value(x, state.key), b = value(y, state.key), d;
      if (a === null || a === undefined) { return 1; }
      if (b === null || b === undefined) { return -1; }
      d = typeof a === "number" ? a - b : String(a).localeCompare(String(b));
      return state.asc ? d : -d;
    }

    function fmtCount(n) { return n === null ? "\u2014" : n.toLocaleString("en-US"); }

    function rowHtml(row) {
      var a = data.agencies[row[F.agency]], ok = row[F.pct] !== null;
      var lab = row[F.label] || "no label", cls = labels[row[F.label]] || "label-na";
      var small = row[F.small] ? ' <span class="small-flag">small numbers</span>' : "";
      return "<tr" + (row[F.small] ? ' class="small"' : "") + ">" +
        '<th scope="row" data-label="Agency"><a href="city/' + esc(a[1]) + '.html">' + esc(a[0]) +
        "</a></th>" +
        '<td data-label="Change (95% CI)" class="num change">' + esc(ok ? row[F.change] : "\u2014") + "</td>" +
        '<td data-label="Label" class="lab"><span class="label ' + cls + '">' + esc(lab) + "</span>" + small + "</td>" +
        '<td data-label="Count vs before" class="num">' +
        (ok ? fmtCount(row[F.count]) + " vs " + fmtCount(row[F.previous]) : "\u2014") + "</td>" +
        '<td data-label="Rate per 100k" class="num">' +
        (row[F.rate] === null ? "\u2014" : row[F.rate].toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })) + "</td>" +
        '<td data-label="Period">' + esc(row[F.period]) + "</td>" +
        '<td data-label="Data through">' + esc(row[F.through]) + "</td>" +
        '<td data-label="Population" class="num">' + fmtCount(a[3]) + "</td></tr>";
    }

    function render() {
      var rows = data.figures[state.offense].filter(matches).slice().sort(compare);
      var shown = rows.slice(0, state.limit);
      body.innerHTML = shown.map(rowHtml).join("");
      var what = data.offenses[state.offense].toLowerCase();
      status.textContent = (rows.length ? "Showing " + shown.length + " of " + rows.length : "No") +
        " agencies (" + what + ")" + (rows.length ? "." : " match: try fewer filters or another spelling.") +
        " Small numbers and rows that cannot be compared come last.";
      pager.hidden = shown.length >= rows.length;
      markScrollable();
    }

    function on(id, key, fn) {
      var el = document.getElementById(id);
      el.addEventListener("input", function () { state[key] = fn ? fn(el.value) : el.value;
                                                 state.limit = 50; render(); });
    }
    on("q", "q", fold);
    on("f-offense", "offense");
    on("f-state", "st");
    on("f-class", "cls");
    on("f-label", "label");
    document.getElementById("more").addEventListener("click", function () {
      state.limit += 50; render(); });
    document.getElementById("all").addEventListener("click", function () {
      state.limit = Infinity; render(); });
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th) {
      var b = th.querySelector("button");
      b.addEventListener("click", function () {
        var key = th.dataset.key;
        state.asc = state.key === key ? !state.asc : key === "name" || key === "pct";
        state.key = key;
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.asc ? "ascending" : "descending");
        render();
      });
    });
    render();
  }

  overview();
  wireControls();
  wireExport();
  markScrollable();
  window.addEventListener("resize", markScrollable);
  window.siteReady = true;  // controls wired (charts follow: window.chartsReady)
  embedAll().then(function () {
    var pick = document.getElementById("pick-offense");
    if (pick) { applyOffense(pick.value); }
    window.chartsReady = true;
  });
})();
