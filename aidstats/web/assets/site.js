// aidstats static site: sort, filter and facet a table (the state lives in the URL), link to a row, show its source.
// No framework and no network: everything it needs is in the page.
(function () {
  "use strict";
  // Charts: each figure was shipped once in assets/chart-<name>.js; plotly.js draws it here.
  var charts = window.aidstatsCharts || {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (div) {
    var figure = charts[div.getAttribute("data-chart")];
    if (figure && window.Plotly) window.Plotly.newPlot(div, figure.data, figure.layout, { responsive: true });
  });

  var table = document.querySelector("table.data[id^='table-']");
  var info = document.getElementById("provenance");
  var provenance = info ? JSON.parse(info.textContent) : null;
  // The passages and the source register, shared by every table page (assets/provenance.js).
  var shared = window.aidstatsProvenance || { passages: {}, sources: {} };
  var panel = document.getElementById("provenance-panel");
  var filter = document.getElementById("filter");
  var facets = Array.prototype.slice.call(document.querySelectorAll("details.facet"));
  var selected = null;
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  // Every row can be focused, and opened with Enter or Space, when this script runs.
  rows.forEach(function (row) { row.tabIndex = 0; });
  // Rows that sort equal keep the order they were printed in.
  var order = new Map(rows.map(function (row, i) { return [row, i]; }));

  // ---- sorting ----
  // A number's cell shows it with thousands separators, its title (if rounded) the full value; "∞" is an open bound.
  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var text = cell.getAttribute("title") || cell.textContent;
    if (!numeric) return text.toLowerCase();
    var number = text.trim() === "∞" ? Infinity : parseFloat(text.replace(/,/g, ""));
    return isNaN(number) ? -Infinity : number;
  }

  function sortBy(header, index) {
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var ordered = Array.prototype.slice.call(body.rows);
    ordered.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      if (x < y) return ascending ? -1 : 1;
      if (x > y) return ascending ? 1 : -1;
      return order.get(a) - order.get(b);
    });
    ordered.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  // ---- filtering: a text filter and facets, combined; the state is the page's query string ----
  function chosen(facet) {
    return Array.prototype.map.call(facet.querySelectorAll("input:checked"), function (box) { return box.value; });
  }

  function facetValue(row, facet) {
    return row.cells[Number(facet.getAttribute("data-column"))].textContent;
  }

  // Within one facet the chosen values are alternatives; the text filter and each facet must all hold.
  function matches(row, needle, choices, except) {
    if (needle && row.textContent.toLowerCase().indexOf(needle) === -1) return false;
    return facets.every(function (facet, i) {
      return i === except || !choices[i].length || choices[i].indexOf(facetValue(row, facet)) !== -1;
    });
  }

  function applyFilters(updateUrl) {
    var needle = filter ? filter.value.trim().toLowerCase() : "";
    var choices = facets.map(chosen);
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = !matches(row, needle, choices, -1);
      if (!row.hidden) shown += 1;
    });
    // A facet's counts are the rows each value would show, given the text filter and the other facets.
    facets.forEach(function (facet, i) {
      var counts = {};
      rows.forEach(function (row) {
        if (matches(row, needle, choices, i)) counts[facetValue(row, facet)] = (counts[facetValue(row, facet)] || 0) + 1;
      });
      Array.prototype.forEach.call(facet.querySelectorAll("label"), function (label) {
        var value = label.querySelector("input").value;
        label.querySelector(".count").textContent = "(" + (counts[value] || 0) + ")";
      });
      facet.querySelector(".chosen").textContent = choices[i].length ? ": " + choices[i].join(", ") : "";
    });
    var count = document.getElementById("row-count");
    if (count) count.textContent = shown + " of " + rows.length + " rows shown";
    var none = document.getElementById("no-rows");
    if (none) none.hidden = shown > 0;
    if (updateUrl) writeUrl();
  }

  function query() {
    var parts = [];
    if (filter && filter.value.trim()) parts.push("q=" + encodeURIComponent(filter.value.trim()));
    facets.forEach(function (facet) {
      chosen(facet).forEach(function (value) {
        parts.push(encodeURIComponent(facet.getAttribute("data-facet")) + "=" + encodeURIComponent(value));
      });
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function writeUrl(hash) {
    var fragment = hash === undefined ? location.hash : hash;
    history.replaceState(null, "", location.pathname + query() + fragment);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    if (filter) filter.value = params.get("q") || "";
    facets.forEach(function (facet) {
      var wanted = params.getAll(facet.getAttribute("data-facet"));
      Array.prototype.forEach.call(facet.querySelectorAll("input"), function (box) {
        box.checked = wanted.indexOf(box.value) !== -1;
      });
    });
  }

  function clearFilters() {
    if (filter) filter.value = "";
    facets.forEach(function (facet) {
      Array.prototype.forEach.call(facet.querySelectorAll("input"), function (box) { box.checked = false; });
    });
    applyFilters(true);
  }

  // ---- one row: its permalink, its source, its citation ----
  var quoteColumn = headers.map(function (th) { return th.getAttribute("data-name"); }).indexOf("quote");
  function quoteOf(row) {
    return quoteColumn !== -1 ? row.cells[quoteColumn].textContent : "";
  }

  function keyText(row) {
    return headers.map(function (th, i) { return [th, i]; })
      .filter(function (pair) { return provenance.key.indexOf(pair[0].getAttribute("data-name")) !== -1; })
      .map(function (pair) { return pair[0].getAttribute("data-name") + " = " + row.cells[pair[1]].textContent; })
      .join(", ");
  }

  function link(row) {
    return location.href.split("#")[0].split("?")[0] + "#" + row.id;
  }

  function citation(row) {
    var lines = [provenance.title + " (table " + provenance.table + "), row " + keyText(row) + ":"];
    headers.forEach(function (th, i) {
      var text = row.cells[i].textContent;
      if (text && th.getAttribute("data-name") !== "quote") lines.push("  " + th.textContent + ": " + text);
    });
    var quote = quoteOf(row);
    var source = shared.sources[row.getAttribute("data-source")];
    if (quote) lines.push("Quote: “" + quote + "”");
    lines.push("Paper: " + provenance.paper + (source && source.footnote ? ", footnote " + source.footnote : ""));
    if (source && source.kind !== "paper") lines.push("Cited there: " + source.line);
    lines.push("Data: " + provenance.citation);
    lines.push("Link: " + link(row));
    return lines.join("\n");
  }

  function highlight(container, quote) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var at = node.nodeValue.indexOf(quote);
      if (at === -1) continue;
      var rest = node.splitText(at);
      rest.splitText(quote.length);
      var mark = document.createElement("mark");
      rest.parentNode.replaceChild(mark, rest);
      mark.appendChild(rest);
      return mark;
    }
    return null;
  }

  // The panel covers the bottom of the window; the table's box is made to fit above it, and the row is scrolled
  // into the box's view below its sticky header (the window scrolls only if the box does not fit where it is).
  function keepInView(row) {
    var box = table.parentElement;
    var limit = panel && !panel.hidden ? panel.getBoundingClientRect().top : window.innerHeight;
    var outer = box.getBoundingClientRect();
    if (outer.top < 0 || outer.bottom > limit) {
      window.scrollBy(0, outer.bottom > limit ? Math.min(outer.top, outer.bottom - limit) : outer.top);
      outer = box.getBoundingClientRect();
    }
    var top = Math.max(outer.top, 0) + table.tHead.offsetHeight;
    var bottom = Math.min(outer.bottom, limit);
    var rect = row.getBoundingClientRect();
    if (rect.top < top) box.scrollTop -= top - rect.top;
    else if (rect.bottom > bottom) box.scrollTop += rect.bottom - bottom;
  }

  function fill(selector, text) {
    var element = panel.querySelector(selector);
    if (element) element.textContent = text;
  }

  function open(row) {
    if (!panel || !provenance) return;
    if (selected) selected.classList.remove("selected");
    selected = row;
    row.classList.add("selected");
    var quote = quoteOf(row);
    var source = shared.sources[row.getAttribute("data-source")];
    fill(".row-key", keyText(row));
    var passage = panel.querySelector(".passage");
    passage.textContent = "";
    // The passage's HTML was written, escaped, by aidstats.passages.to_html when the site was built.
    var html = shared.passages[row.getAttribute("data-passage")];
    if (html) passage.innerHTML = html;
    var mark = quote ? highlight(passage, quote) : null;
    fill(".quote", quote || "");
    panel.querySelector(".quote-line").hidden = !quote;
    panel.querySelector(".source-part").hidden = !quote && !source && !html;
    var paper = !source || source.kind === "paper";
    fill(".footnote", paper ? "From the paper itself:" : "Cited in");
    fill(".citation", paper ? provenance.paper : source.line);
    fill(".location", source ? source.location : "");
    panel.querySelector(".location").parentNode.hidden = !(source && source.location);
    panel.querySelector(".cite-label").hidden = true;
    fill(".copied", "");
    panel.hidden = false;
    document.body.classList.add("panel-open");
    document.body.style.paddingBottom = panel.offsetHeight + "px";
    table.parentElement.style.maxHeight = Math.max(120, window.innerHeight - panel.offsetHeight - 8) + "px";
    writeUrl("#" + row.id);
    if (mark) panel.querySelector(".panel-body").scrollTop = Math.max(0, mark.offsetTop - 40);
    panel.querySelector("#panel-title").focus({ preventScroll: true });
    keepInView(row);
  }

  function close() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove("panel-open");
    document.body.style.paddingBottom = "";
    table.parentElement.style.maxHeight = "";
    writeUrl("");
    if (selected) {
      selected.focus({ preventScroll: true });
      keepInView(selected);
    }
  }

  // Show text to copy, and try the clipboard too (a page opened from disk may not be allowed to write to it).
  function offer(text, label, done) {
    var box = panel.querySelector(".cite-label");
    box.firstChild.nodeValue = label;
    var area = box.querySelector("textarea");
    area.value = text;
    box.hidden = false;
    area.focus({ preventScroll: true });
    area.select();
    var status = function (message) { fill(".copied", message); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { status(done); }, function () { status("Select the text below and copy it."); });
    } else {
      status("Select the text below and copy it.");
    }
  }

  // A fragment "#row-<key>" names a row; a browser may show it decoded, so compare it in the encoding ids use.
  function rowFromHash() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("row-") !== 0) return null;
    var found = document.getElementById(hash);
    if (found) return found;
    try {
      var canonical = "row-" + hash.slice(4).split(",").map(function (part) {
        return encodeURIComponent(decodeURIComponent(part));
      }).join(",");
      return document.getElementById(canonical);
    } catch (error) {
      return null;
    }
  }

  function openFromHash() {
    var row = rowFromHash();
    if (!row || !body.contains(row)) return;
    if (row.hidden) clearFilters();  // a link to a row shows it, whatever filter the URL also holds
    open(row);
  }

  headers.forEach(function (th, index) {
    var button = th.querySelector("button");
    if (button) button.addEventListener("click", function () { sortBy(th, index); });
  });
  body.addEventListener("click", function (event) {
    var row = event.target.closest("tr");
    if (row) open(row);
  });
  body.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      open(row);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  if (panel) {
    panel.querySelector(".close").addEventListener("click", close);
    panel.querySelector(".copy-link").addEventListener("click", function () {
      if (selected) offer(link(selected), "Link to this row", "Link copied.");
    });
    panel.querySelector(".cite-row").addEventListener("click", function () {
      if (selected) offer(citation(selected), "Citation of this row (plain text)", "Citation copied.");
    });
  }
  if (filter) filter.addEventListener("input", function () { applyFilters(true); });
  facets.forEach(function (facet) {
    facet.addEventListener("change", function () { applyFilters(true); });
    // An unfolded list that would pass the window's right edge is moved left, so the page never scrolls sideways.
    facet.addEventListener("toggle", function () {
      var list = facet.querySelector("fieldset");
      list.style.left = "";
      if (!facet.open || getComputedStyle(list).position !== "absolute") return;
      var over = list.getBoundingClientRect().right - document.documentElement.clientWidth + 4;
      if (over > 0) list.style.left = -over + "px";
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#clear-filters, [data-clear]"), function (button) {
    button.addEventListener("click", clearFilters);
  });
  window.addEventListener("hashchange", openFromHash);
  // A facet's list is a drop-down: a click elsewhere folds it.
  document.addEventListener("click", function (event) {
    facets.forEach(function (facet) { if (facet.open && !facet.contains(event.target)) facet.open = false; });
  });
  readUrl();
  applyFilters(false);
  // After "load": the browser's own scroll to the element the fragment names comes first, and is then corrected.
  if (document.readyState === "complete") openFromHash();
  else window.addEventListener("load", function () { setTimeout(openFromHash, 0); });
})();
