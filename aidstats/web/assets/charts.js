// aidstats charts: draws each chart shipped in window.aidstatsCharts (assets/chart-<name>.js, or written into
// the one-file dashboard) into its <div data-chart="name">, and puts under it the downloads (PNG, SVG, the
// numbers as CSV) and a chart/table toggle.
//
// plotly.js is the heaviest file a page has (1.2 MB), so it is never in the way of the table: it is requested only
// after the page's load event, and to draw a chart, on a page with a table, only after site.js marks
// "aidstats-table-drawn" (the table wired and every row drawn), when a chart comes near the screen or the browser
// is idle (a PNG or SVG download asks for it when pressed). Where it is written into the page (the offline
// dashboard, after this script), the charts are drawn as soon as it has run. Where it cannot load (offline with
// --cdn, a blocked request), every chart says so in words and shows its numbers as a table instead of an empty box.
// Each chart's room, wide and narrow, is kept by site.css from heights written into the page (macros.html), so
// the page below a chart does not jump when it is drawn, nor when its container crosses the phone width.
(function () {
  "use strict";
  var charts = window.aidstatsCharts || {};
  var holders = Array.prototype.filter.call(document.querySelectorAll("[data-chart]"), function (div) {
    return charts[div.getAttribute("data-chart")];
  });
  if (!holders.length) return;

  var TABLE_MARK = "aidstats-table-drawn";
  var FIRST_CHART_MARK = "aidstats-first-chart";
  var NARROW = 600; // CSS pixels of a chart's container below which it takes its phone layout (figures.NARROW_WIDTH)
  var NEAR = "300px 0px"; // how near the screen a chart is when plotly.js is fetched and the chart drawn
  var state = window.Plotly ? "ready" : "waiting"; // then "loading", "ready" or "failed"
  // The offline dashboard writes plotly.js into the page after this script, and calls aidstatsPlotlyInPage then.
  var inPage = !window.Plotly && readConfig().inPage === true;
  var onReady = [];
  var drawn = new Map(); // holder -> whether it was drawn narrow
  var firstDrawn = false;

  function figureOf(holder) { return charts[holder.getAttribute("data-chart")]; }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  // Overrides into a layout: objects merged key by key, anything else (text, numbers, arrays) replaced.
  function merge(target, overrides) {
    Object.keys(overrides || {}).forEach(function (key) {
      var value = overrides[key];
      if (value && typeof value === "object" && !Array.isArray(value) && target[key] && typeof target[key] === "object") {
        merge(target[key], value);
      } else {
        target[key] = copy(value);
      }
    });
    return target;
  }

  function isNarrow(holder) { return holder.clientWidth < NARROW; }

  // On the page: the figure's layout with the page's changes (the title is the heading above) and, in a narrow
  // container, the phone's (wrapped labels, taller rows, smaller type).
  function pageLayout(figure, narrow) {
    return merge(merge(copy(figure.layout), figure.page), narrow ? figure.narrow : null);
  }

  // ---- loading plotly.js ----
  function readConfig() {
    var element = document.getElementById("aidstats-plotly");
    if (!element) return { src: null, integrity: null };
    try { return JSON.parse(element.textContent); } catch (e) { return { src: null, integrity: null }; }
  }

  function whenReady(callback) {
    if (state === "ready") callback();
    else if (state !== "failed") onReady.push(callback);
  }

  function settle(ok) {
    state = ok ? "ready" : "failed";
    if (!ok) holders.forEach(showFailure);
    var callbacks = onReady.splice(0);
    if (ok) callbacks.forEach(function (callback) { callback(); });
  }

  var afterLoad = false;
  function loadPlotly() {
    if (state !== "waiting" || inPage) return;
    // A script added before the load event holds it (and the browser's "loading" sign) until its 1.2 MB are in and run.
    if (document.readyState !== "complete") {
      if (!afterLoad) window.addEventListener("load", loadPlotly);
      afterLoad = true;
      return;
    }
    var config = readConfig();
    if (!config.src) { settle(false); return; }
    state = "loading";
    var script = document.createElement("script");
    script.src = config.src;
    if (config.integrity) {
      script.integrity = config.integrity;
      script.crossOrigin = "anonymous"; // a cross-origin file is checked against its hash only in CORS mode
    }
    script.onload = function () { settle(Boolean(window.Plotly)); };
    script.onerror = function () { settle(false); };
    document.head.appendChild(script);
  }

  // ---- drawing ----
  // A chart hidden behind its table is drawn when it is shown (hidden, it has no width to lay out for).
  function draw(holder) {
    if (drawn.has(holder) || state !== "ready" || holder.hidden) return;
    var figure = figureOf(holder);
    var narrow = isNarrow(holder);
    drawn.set(holder, narrow);
    holder.closest("figure").classList.add("drawn");
    window.Plotly.newPlot(holder, figure.data, pageLayout(figure, narrow), figure.config).then(function () {
      // Said once plotly has finished (legend and axes included), not when its first svg appears.
      holder.setAttribute("data-drawn", "");
      if (!firstDrawn) {
        firstDrawn = true;
        performance.mark(FIRST_CHART_MARK);
      }
    });
  }

  // A chart whose container crossed the phone width is laid out again (plotly's "responsive" only rescales it).
  function relayout(holder) {
    var narrow = isNarrow(holder);
    if (drawn.get(holder) === narrow) return false;
    var figure = figureOf(holder);
    drawn.set(holder, narrow);
    window.Plotly.react(holder, figure.data, pageLayout(figure, narrow), figure.config);
    return true;
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      drawn.forEach(function (narrow, holder) { if (!holder.hidden) relayout(holder); });
    }, 150);
  });

  var idle = window.requestIdleCallback
    ? function (callback) { window.requestIdleCallback(callback, { timeout: 2000 }); }
    : function (callback) { setTimeout(callback, 200); };

  // The charts not yet drawn, one per idle moment, so drawing them never holds up a reader's click.
  function drawTheRest() {
    var next = holders.filter(function (holder) { return !drawn.has(holder) && !holder.hidden; })[0];
    if (!next || state !== "ready") return;
    draw(next);
    idle(drawTheRest);
  }

  function near(holder) {
    loadPlotly();
    whenReady(function () { draw(holder); });
  }

  function start() {
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          near(entry.target);
        });
      }, { rootMargin: NEAR });
      holders.forEach(function (holder) { observer.observe(holder); });
    } else {
      holders.forEach(near);
    }
    idle(function () {
      loadPlotly();
      whenReady(function () { idle(drawTheRest); });
    });
  }

  // A page with a table waits for site.js to have wired it and drawn every row; a page without one (the home page,
  // the dashboard) need not.
  function afterTheTable(callback) {
    var hasTable = document.querySelector("table.data[id^='table-']");
    var marked = function () { return performance.getEntriesByName(TABLE_MARK, "mark").length > 0; };
    if (!hasTable || marked()) { callback(); return; }
    var done = false;
    var once = function () { if (!done && marked()) { done = true; callback(); } };
    if ("PerformanceObserver" in window) {
      try {
        var observer = new PerformanceObserver(function () { once(); if (done) observer.disconnect(); });
        observer.observe({ type: "mark", buffered: true });
      } catch (e) { /* an older browser: the timer below */ }
    }
    var timer = setInterval(function () { once(); if (done) clearInterval(timer); }, 100);
  }

  // ---- under each chart: downloads and the table ----
  function csv(table) {
    var field = window.aidstatsFiles.csvField;  // site.js's: one CSV rule for every download of the site
    return [table.columns].concat(table.rows).map(function (row) { return row.map(field).join(","); }).join("\n") + "\n";
  }

  // The image as a notebook shows the figure: its own layout, title included, at a desktop width.
  function saveImage(name, figure, format) {
    loadPlotly();
    whenReady(function () {
      window.Plotly.downloadImage({ data: figure.data, layout: copy(figure.layout), config: figure.config },
        { format: format, filename: name, width: 1000, height: figure.layout.height || 600 });
    });
  }

  function dataTable(name, figure, titleText) {
    var box = document.createElement("div");
    box.className = "chart-table";
    box.id = "chart-table-" + name;
    box.hidden = true;
    var table = document.createElement("table");
    table.className = "chart-data"; // not "data": that is the page's own table, which site.js and its readers look for
    // For a screen reader; the heading above says it to the eye (a caption as wide as the table would scroll away).
    var caption = table.createCaption();
    caption.className = "visually-hidden";
    caption.textContent = "The numbers of the chart: " + titleText;
    var head = table.createTHead().insertRow();
    figure.table.headings.forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.appendChild(th);
    });
    var body = table.createTBody();
    figure.table.shown.forEach(function (cells, i) {
      var tr = body.insertRow();
      cells.forEach(function (text, j) {
        var cell = document.createElement(j === 0 ? "th" : "td");
        if (j === 0) cell.scope = "row";
        if (typeof figure.table.rows[i][j] === "number") cell.className = "number";
        cell.textContent = text;
        tr.appendChild(cell);
      });
    });
    box.appendChild(table);
    return box;
  }

  function button(text, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    return b;
  }

  function tools(holder) {
    var name = holder.getAttribute("data-chart");
    var figure = figureOf(holder);
    var element = holder.closest("figure");
    // The heading the page gives the chart; a page that has none (the dashboard) gets one from the figure.
    var heading = element.querySelector(".chart-title");
    if (!heading) {
      heading = document.createElement("h3");
      heading.className = "chart-title";
      heading.textContent = figure.title;
      element.insertBefore(heading, element.firstChild);
    }
    if (!heading.id) heading.id = "chart-title-" + name;
    var titleText = heading.textContent;
    var table = dataTable(name, figure, titleText);
    var bar = document.createElement("div");
    bar.className = "chart-tools";
    var toggle = button("Show the table", "chart-toggle");
    toggle.setAttribute("aria-controls", table.id);
    toggle.setAttribute("aria-expanded", "false");
    // Short words, so the buttons take one line on a phone; each says in full what it downloads to a screen reader.
    var png = button("PNG", "chart-png");
    var svg = button("SVG", "chart-svg");
    var data = button("CSV", "chart-csv");
    png.setAttribute("aria-label", "Download the chart as PNG");
    svg.setAttribute("aria-label", "Download the chart as SVG");
    data.setAttribute("aria-label", "Download the chart's numbers as CSV");
    // The downloads keep together: on a phone they take the line under the toggle, not half of it.
    var downloads = document.createElement("span");
    downloads.className = "chart-downloads";
    downloads.appendChild(document.createTextNode("Download:"));
    [png, svg, data].forEach(function (b) { downloads.appendChild(b); });
    [toggle, png, svg, data].forEach(function (b) { b.setAttribute("aria-describedby", heading.id); });
    bar.appendChild(toggle);
    bar.appendChild(downloads);
    toggle.addEventListener("click", function () { showTable(holder, table.hidden); });
    png.addEventListener("click", function () { saveImage(name, figure, "png"); });
    svg.addEventListener("click", function () { saveImage(name, figure, "svg"); });
    data.addEventListener("click", function () { window.aidstatsFiles.save(csv(figure.table), "text/csv;charset=utf-8", name + ".csv"); });
    // The caption stays the figure's last child, as HTML wants it.
    var caption = element.querySelector("figcaption");
    element.insertBefore(table, caption);
    element.insertBefore(bar, caption);
  }

  function showTable(holder, show) {
    var element = holder.closest("figure");
    var table = element.querySelector(".chart-table");
    var toggle = element.querySelector(".chart-toggle");
    table.hidden = !show;
    holder.hidden = show;
    toggle.setAttribute("aria-expanded", String(show));
    toggle.textContent = show ? "Show the chart" : "Show the table";
    // Shown again: drawn now if it was not, else laid out for the width it has now (the window may have changed).
    if (show || state !== "ready") return;
    if (!drawn.has(holder)) draw(holder);
    else if (!relayout(holder)) window.Plotly.Plots.resize(holder);
  }

  function showFailure(holder) {
    var element = holder.closest("figure");
    if (element.querySelector(".chart-failed")) return;
    var note = document.createElement("p");
    note.className = "chart-failed";
    note.setAttribute("role", "status");
    var onThisPage = document.querySelector("table.data[id^='table-']") ? " The rows behind them are in the table at the top of this page." : "";
    note.textContent = "This chart could not be drawn: plotly.js, the library that draws it, did not load (perhaps this computer is offline). " +
      "Its numbers are in the table below and in its CSV download." + onThisPage;
    element.insertBefore(note, holder);
    showTable(holder, true);
    var toggle = element.querySelector(".chart-toggle");
    toggle.hidden = true;
    element.querySelectorAll(".chart-png, .chart-svg").forEach(function (b) { b.disabled = true; });
  }

  holders.forEach(tools);
  // plotly.js came with the page (the offline dashboard): the first chart at once, the rest when the browser is idle.
  function drawInPage() {
    draw(holders[0]);
    idle(drawTheRest);
  }
  if (state === "ready") {
    drawInPage();
  } else if (inPage) {
    window.aidstatsPlotlyInPage = function () {
      settle(Boolean(window.Plotly));
      if (state === "ready") drawInPage();
    };
  } else {
    afterTheTable(start);
  }
})();
