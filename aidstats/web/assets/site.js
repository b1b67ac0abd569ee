// aidstats static site: sort, filter and facet a table (the state lives in the URL), link to a row, show its source.
// No framework and no network: everything it needs is in the page. The charts are charts.js's: this script
// wires the table first and marks "aidstats-table-interactive" when it is done, and "aidstats-table-drawn" once
// every row is drawn, before any chart is drawn.
(function () {
  "use strict";
  // Files made in the page (a Blob), so downloads work from disk and in the one-file dashboard; one CSV rule,
  // the package's own (every text quoted). charts.js uses these too (window.aidstatsFiles), when a button is pressed.
  function csvField(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return String(value);
    return "\"" + String(value).replace(/"/g, "\"\"") + "\"";
  }

  function save(text, type, name) {
    var anchor = document.createElement("a");
    anchor.href = URL.createObjectURL(new Blob([text], { type: type }));
    anchor.download = name;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(function () { URL.revokeObjectURL(anchor.href); }, 10000);
  }
  window.aidstatsFiles = { csvField: csvField, save: save };

  var table = document.querySelector("table.data[id^='table-']");
  var info = document.getElementById("provenance");
  var provenance = info ? JSON.parse(info.textContent) : null;
  // The passages and the source register, shared by every table page (assets/provenance.js). That script is
  // deferred, so the table is wired before its 50 KB are read; a row opened before then waits for it (open).
  var shared = window.aidstatsProvenance || { passages: {}, sources: {} };
  var panel = document.getElementById("provenance-panel");
  var filter = document.getElementById("filter");
  var dropdowns = Array.prototype.slice.call(document.querySelectorAll("details.facet"));
  var facets = dropdowns.filter(function (d) { return d.hasAttribute("data-facet"); });
  var ranges = Array.prototype.slice.call(document.querySelectorAll("details.ranges input[data-bound]"));
  var selected = null;
  var current = null;  // the row that is the table body's one Tab stop
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var names = headers.map(function (th) { return th.getAttribute("data-name"); });
  // Rows that sort equal keep the order they were printed in.
  var order = new Map(rows.map(function (row, i) { return [row, i]; }));
  // What the text filter reads of a row: the text shown, and the raw codes, unseparated numbers and labels
  // written beside it (data-search), lower-cased once.
  var haystacks = new Map(rows.map(function (row) {
    return [row, (row.textContent + " " + (row.getAttribute("data-search") || "")).toLowerCase()];
  }));

  // A cell's value: what it shows, unless it shows a code as words (data-value holds the code) or a code with its
  // label ("SUN — USSR": the label is the <small> after the code).
  function valueOf(cell) {
    if (cell.hasAttribute("data-value")) return cell.getAttribute("data-value");
    var label = cell.lastElementChild;
    return label && label.tagName === "SMALL" ? cell.textContent.slice(0, -label.textContent.length) : cell.textContent;
  }

  // A number's cell shows it with thousands separators, its title (if rounded) the full value; "∞" is an open bound.
  function numberOf(row, index) {
    var cell = row.cells[index];
    var text = (cell.getAttribute("title") || cell.textContent).trim();
    if (text === "∞") return Infinity;
    if (text === "-∞") return -Infinity;
    return text ? parseFloat(text.replace(/,/g, "")) : NaN;
  }

  // ---- sorting: ?sort=<column>&dir=asc|desc ----
  function cellValue(row, index, numeric) {
    if (!numeric) return valueOf(row.cells[index]).toLowerCase();
    var number = numberOf(row, index);
    return isNaN(number) ? -Infinity : number;
  }

  function sortBy(index, ascending) {
    var header = headers[index];
    var numeric = header.getAttribute("data-type") === "number";
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

  function sortState() {
    var header = table.tHead.querySelector("th[aria-sort]");
    return header ? { name: header.getAttribute("data-name"), ascending: header.getAttribute("aria-sort") === "ascending" } : null;
  }

  // ---- filtering: a text filter, facets and number ranges, combined; the state is the page's query string ----
  function chosen(facet) {
    return Array.prototype.map.call(facet.querySelectorAll("input:checked"), function (box) { return box.value; });
  }

  function facetValue(row, facet) {
    return valueOf(row.cells[Number(facet.getAttribute("data-column"))]);
  }

  // The bounds typed, each {column, min|max, value}; a number column's empty cell is outside any bound.
  function bounds() {
    return ranges.filter(function (input) { return input.value.trim() !== "" && !isNaN(parseFloat(input.value)); })
      .map(function (input) {
        return { column: Number(input.getAttribute("data-column")), min: input.getAttribute("data-bound") === "min", value: parseFloat(input.value) };
      });
  }

  function inRanges(row, limits) {
    return limits.every(function (limit) {
      var number = numberOf(row, limit.column);
      return !isNaN(number) && (limit.min ? number >= limit.value : number <= limit.value);
    });
  }

  // Within one facet the chosen values are alternatives; the text filter, each facet and each bound must all hold.
  function matches(row, needle, choices, limits, except) {
    if (needle && haystacks.get(row).indexOf(needle) === -1) return false;
    if (!inRanges(row, limits)) return false;
    return facets.every(function (facet, i) {
      return i === except || !choices[i].length || choices[i].indexOf(facetValue(row, facet)) !== -1;
    });
  }

  function applyFilters(updateUrl) {
    var needle = filter ? filter.value.trim().toLowerCase() : "";
    var choices = facets.map(chosen);
    var limits = bounds();
    var shown = 0;
    rows.forEach(function (row) {
      row.hidden = !matches(row, needle, choices, limits, -1);
      if (!row.hidden) shown += 1;
    });
    // A facet's counts are the rows each value would show, given the text filter, the bounds and the other facets.
    facets.forEach(function (facet, i) {
      var counts = {};
      rows.forEach(function (row) {
        if (matches(row, needle, choices, limits, i)) counts[facetValue(row, facet)] = (counts[facetValue(row, facet)] || 0) + 1;
      });
      Array.prototype.forEach.call(facet.querySelectorAll("label"), function (label) {
        var value = label.querySelector("input").value;
        label.querySelector(".count").textContent = "(" + (counts[value] || 0) + ")";
      });
      facet.querySelector(".chosen").textContent = choices[i].length ? ": " + choices[i].join(", ") : "";
    });
    var rangeSummary = document.querySelector("details.ranges .chosen");
    if (rangeSummary) {
      rangeSummary.textContent = limits.length ? ": " + limits.map(function (limit) {
        return names[limit.column] + (limit.min ? " ≥ " : " ≤ ") + limit.value;
      }).join(", ") : "";
    }
    var count = document.getElementById("row-count");
    if (count) count.textContent = shown + " of " + rows.length + " rows shown";
    var none = document.getElementById("no-rows");
    if (none) none.hidden = shown > 0;
    if (!current || current.hidden) setCurrent(visibleRows()[0] || null, false);
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
    ranges.forEach(function (input) {
      if (input.value.trim() !== "") parts.push(encodeURIComponent(input.name) + "=" + encodeURIComponent(input.value.trim()));
    });
    var sort = sortState();
    if (sort) parts.push("sort=" + encodeURIComponent(sort.name) + "&dir=" + (sort.ascending ? "asc" : "desc"));
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
    ranges.forEach(function (input) { input.value = params.get(input.name) || ""; });
    var index = names.indexOf(params.get("sort"));
    if (index !== -1) sortBy(index, params.get("dir") !== "desc");
  }

  function clearFilters() {
    if (filter) filter.value = "";
    facets.forEach(function (facet) {
      Array.prototype.forEach.call(facet.querySelectorAll("input"), function (box) { box.checked = false; });
    });
    ranges.forEach(function (input) { input.value = ""; });
    applyFilters(true);
  }

  // ---- the keyboard: the table body is one Tab stop (roving tabindex), the arrow keys move between rows ----
  function visibleRows() {
    return Array.prototype.filter.call(body.rows, function (row) { return !row.hidden; });
  }

  // The current row and the links in it are reachable by Tab; every other row and its links are not.
  function setCurrent(row, focus) {
    if (current && current !== row) {
      current.tabIndex = -1;
      Array.prototype.forEach.call(current.querySelectorAll("a"), function (a) { a.tabIndex = -1; });
    }
    current = row;
    if (!row) return;
    row.tabIndex = 0;
    Array.prototype.forEach.call(row.querySelectorAll("a"), function (a) { a.tabIndex = 0; });
    if (focus) {
      row.focus({ preventScroll: true });
      keepInView(row);
    }
  }

  // ---- one row: its permalink, its source, its caveats, its citation ----
  var quoteColumn = names.indexOf("quote");
  function quoteOf(row) {
    return quoteColumn !== -1 ? row.cells[quoteColumn].textContent : "";
  }

  function keyText(row) {
    return names.map(function (name, i) { return [name, i]; })
      .filter(function (pair) { return provenance.key.indexOf(pair[0]) !== -1; })
      .map(function (pair) { return pair[0] + " = " + valueOf(row.cells[pair[1]]); })
      .join(", ");
  }

  function link(row) {
    return location.href.split("#")[0].split("?")[0] + "#" + row.id;
  }

  function sourceText(source) {
    return provenance.paper + (source && source.footnote ? ", footnote " + source.footnote : "");
  }

  function citation(row) {
    var lines = [provenance.title + " (table " + provenance.table + "), row " + keyText(row) + ":"];
    headers.forEach(function (th, i) {
      var text = row.cells[i].textContent;
      if (text && names[i] !== "quote") lines.push("  " + th.textContent + ": " + text);
    });
    var quote = quoteOf(row);
    var source = shared.sources[row.getAttribute("data-source")];
    if (quote) lines.push("Quote: “" + quote + "”");
    lines.push("Paper: " + sourceText(source));
    if (source && source.kind !== "paper") lines.push("Cited there: " + source.line);
    var published = ((shared.publications || {}).documents || {})[row.getAttribute("data-source")];
    (published ? published.lines : []).forEach(function (line) { lines.push(line); });
    lines.push("Data: " + provenance.citation);
    lines.push("Link: " + link(row));
    return lines.join("\n");
  }

  // A new issue on the repository, its title and body saying which row, what it holds, its quote and its footnote.
  function reportUrl(row) {
    var source = shared.sources[row.getAttribute("data-source")];
    var quote = quoteOf(row);
    var lines = ["Table: " + provenance.table, "Row: " + keyText(row), "Data version: " + provenance.version, "", "Values:"];
    names.forEach(function (name, i) {
      var value = valueOf(row.cells[i]);
      if (value && name !== "quote") lines.push("- " + name + ": " + (value.length > 300 ? value.slice(0, 300) + "…" : value));
    });
    if (quote) lines.push("", "Quote: “" + quote + "”");
    lines.push("Footnote: " + sourceText(source) + (source && source.kind !== "paper" ? " — " + source.line : ""));
    lines.push("Link: " + link(row), "", "What is wrong:", "");
    var title = "Problem with " + provenance.table + " row " + keyText(row);
    return provenance.repository + "/issues/new?title=" + encodeURIComponent(title) + "&body=" + encodeURIComponent(lines.join("\n"));
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

  // The nearest box around an element that scrolls (the panel's body, or on some widths the panel itself).
  function scroller(element) {
    for (var box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      var overflow = getComputedStyle(box).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight) return box;
    }
    return null;
  }

  // Scroll the mark into its scrolling box's visible part, measured against that box (not from the fixed panel's
  // top, whose heading lies above the box): a line of context above it where the box has room.
  function showMark(mark) {
    var box = scroller(mark);
    if (!box) return;
    var outer = box.getBoundingClientRect(), rect = mark.getBoundingClientRect();
    var room = box.clientHeight - rect.height;
    var above = room > 0 ? Math.min(40, room / 2) : 0;
    box.scrollTop += rect.top - outer.top - above;
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

  // The caveats that name this row: each one's id (a link to its row on the caveats page) and what it says.
  function listCaveats(row) {
    var part = panel.querySelector(".row-caveats");
    if (!part) return;
    var list = part.querySelector("ul");
    list.textContent = "";
    var ids = (row.getAttribute("data-caveats") || "").split(" ").filter(Boolean);
    ids.forEach(function (id) {
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = "caveats.html#row-" + encodeURIComponent(id);
      anchor.textContent = id;
      item.appendChild(anchor);
      item.appendChild(document.createTextNode(": " + ((provenance.caveats || {})[id] || "")));
      list.appendChild(item);
    });
    part.hidden = !ids.length;
    var flag = panel.querySelector(".caveat-flag");
    if (flag) {
      flag.textContent = ids.length === 1 ? "1 caveat on this row" : ids.length + " caveats on this row";
      flag.hidden = !ids.length;
    }
  }

  // A link to a URL from the data, only if it is a web address (never "javascript:" or the like).
  function webLink(url, text) {
    if (!/^https?:\/\//i.test(url)) return document.createTextNode(text);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = text;
    return anchor;
  }

  // The published versions of the row's document, each line as `aidstats cite` prints it with its URL a link; for a
  // document none was found of, that none was, and where we looked (assets/provenance.js, "publications").
  function listPublished(row) {
    var part = panel.querySelector(".published-part");
    if (!part) return;
    var list = part.querySelector("ul.published"), none = part.querySelector(".not-published");
    list.textContent = "";
    var found = ((shared.publications || {}).documents || {})[row.getAttribute("data-source")];
    part.hidden = !found;
    if (!found) return;
    found.lines.forEach(function (line) {
      var item = document.createElement("li");
      // The line's URL (no space in it; a printed book has none) is made a link where it stands.
      var url = /https?:\/\/\S+/.exec(line);
      if (!url) {
        item.textContent = line;
      } else {
        item.appendChild(document.createTextNode(line.slice(0, url.index)));
        item.appendChild(webLink(url[0], url[0]));
        item.appendChild(document.createTextNode(line.slice(url.index + url[0].length)));
      }
      list.appendChild(item);
    });
    list.hidden = !found.lines.length;
    none.hidden = !!found.lines.length;
    none.textContent = found.lines.length ? "" :
      "No published version of this document was found. Where we looked: " + found.searched.map(function (i) {
        return shared.publications.searched[i];
      }).join("; ").replace(/\.$/, "") + ".";
  }

  // The row's comparisons with a published version of its document (the page's provenance, "corroboration"):
  // the verdict, the figure as published, the evidence quoted, where it is, what differs, and a link to the comparison.
  function listCorroboration(row) {
    var part = panel.querySelector(".corroboration-part");
    if (!part) return;
    var list = part.querySelector("ul");
    list.textContent = "";
    var entries = (provenance.corroboration || {})[row.id] || [];
    // The panel's head says so when a published version contradicts the row, as it does for caveats.
    var differs = entries.filter(function (entry) { return entry.verdict === "differs"; }).length;
    var flag = panel.querySelector(".differs-flag");
    if (flag) {
      flag.textContent = "≠ " + (differs === 1 ? "a published version differs" : differs + " published versions differ");
      flag.hidden = !differs;
    }
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "verdict-" + entry.verdict;
      var head = document.createElement("p");
      var verdict = document.createElement("strong");
      verdict.className = "verdict";
      verdict.textContent = "Verdict: " + entry.verdict.replace(/_/g, " ");
      head.appendChild(verdict);
      head.appendChild(document.createTextNode(" · "));
      var anchor = document.createElement("a");
      anchor.href = "corroboration.html#row-" + encodeURIComponent(entry.id);
      anchor.textContent = "comparison " + entry.id;
      head.appendChild(anchor);
      item.appendChild(head);
      [["In the paper", entry.paper], ["As published", entry.published]].forEach(function (pair) {
        if (!pair[1]) return;
        var line = document.createElement("p");
        line.className = pair[0] === "As published" ? "as-published" : "in-paper";
        line.textContent = pair[0] + ": " + pair[1];
        item.appendChild(line);
      });
      if (entry.evidence) {
        var evidence = document.createElement("p");
        evidence.className = "evidence";
        evidence.appendChild(document.createTextNode("Evidence: "));
        var quoted = document.createElement("q");
        quoted.textContent = entry.evidence;
        evidence.appendChild(quoted);
        if (entry.locator) evidence.appendChild(document.createTextNode(" (" + entry.locator + ")"));
        item.appendChild(evidence);
      } else if (entry.locator) {
        var where = document.createElement("p");
        where.textContent = "Where: " + entry.locator;
        item.appendChild(where);
      }
      if (entry.explanation) {
        var why = document.createElement("p");
        why.className = "explanation";
        why.textContent = entry.explanation;
        item.appendChild(why);
      }
      list.appendChild(item);
    });
    part.hidden = !entries.length;
  }

  // The links in the row's cells, each after its column's heading ("Full citation ID: fn29"), so a phone need
  // not scroll the table sideways to follow one.
  function listLinks(row) {
    var line = panel.querySelector(".row-links");
    if (!line) return;
    var holder = line.querySelector("span");
    holder.textContent = "";
    var count = 0;
    Array.prototype.forEach.call(row.cells, function (cell, i) {
      Array.prototype.forEach.call(cell.querySelectorAll("a"), function (a) {
        if (count) holder.appendChild(document.createTextNode(" · "));
        holder.appendChild(document.createTextNode(headers[i].textContent + ": "));
        var copy = document.createElement("a");
        copy.href = a.getAttribute("href");
        copy.textContent = a.textContent;
        holder.appendChild(copy);
        count += 1;
      });
    });
    line.hidden = !count;
  }

  // A task after the next frame is drawn (a timer set in requestAnimationFrame runs once that frame is done).
  function afterFrame(callback) {
    requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  function open(row) {
    if (!panel || !provenance) return;
    if (!window.aidstatsProvenance && document.readyState === "loading") {
      // Deferred scripts have run when the document is parsed: open the row then, with its passage.
      document.addEventListener("DOMContentLoaded", function () { open(row); }, { once: true });
      return;
    }
    shared = window.aidstatsProvenance || shared;
    // Every row is laid out again (table.html folds rows past the first screen while the page loads), so the
    // opened row, wherever it is, can be scrolled to.
    document.documentElement.classList.remove("rows-folded");
    if (selected) selected.classList.remove("selected");
    selected = row;
    setCurrent(row, false);
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
    listCaveats(row);
    listPublished(row);
    listCorroboration(row);
    listLinks(row);
    // The row's own file, data/rows/<table>/<key>.json: its name holds the key percent-encoded, so the link encodes it again.
    var json = panel.querySelector(".row-json");
    if (json) json.href = "data/rows/" + encodeURIComponent(provenance.table) + "/" + encodeURIComponent(row.id.slice(4)) + ".json";
    var report = panel.querySelector(".report");
    if (report) {
      if (provenance.repository) report.href = reportUrl(row);
      report.hidden = !provenance.repository;
    }
    panel.querySelector(".cite-label").hidden = true;
    fill(".copied", "");
    panel.hidden = false;
    document.body.classList.add("panel-open");
    document.body.style.paddingBottom = panel.offsetHeight + "px";
    table.parentElement.style.maxHeight = Math.max(120, window.innerHeight - panel.offsetHeight - 8) + "px";
    writeUrl("#" + row.id);
    var panelBody = panel.querySelector(".panel-body");
    panelBody.scrollTop = 0;
    if (mark) showMark(mark);
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
      setCurrent(selected, false);
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

  // ---- "download the rows shown": the rows as the data holds them (data/rows/<table>.js, loaded when first asked) ----
  function download(format) {
    var all = window.aidstatsRows && window.aidstatsRows[provenance.table];
    if (!all) {
      var script = document.createElement("script");
      script.src = "data/rows/" + encodeURIComponent(provenance.table) + ".js";
      script.onload = function () { if (window.aidstatsRows && window.aidstatsRows[provenance.table]) download(format); };
      script.onerror = function () {
        var count = document.getElementById("row-count");
        if (count) count.textContent = "The rows could not be read (data/rows/ is missing beside this page): use the downloads below.";
      };
      document.head.appendChild(script);
      return;
    }
    var shown = visibleRows().map(function (row) { return all.rows[row.id]; });
    var name = provenance.table + "-view." + format;
    if (format === "json") {
      var objects = shown.map(function (values) {
        var object = {};
        all.fields.forEach(function (field, i) { object[field] = values[i]; });
        return object;
      });
      save(JSON.stringify(objects, null, 1) + "\n", "application/json", name);
    } else {
      var lines = [all.fields.map(csvField).join(",")].concat(shown.map(function (values) { return values.map(csvField).join(","); }));
      save(lines.join("\n") + "\n", "text/csv", name);
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
    if (button) {
      button.addEventListener("click", function () {
        sortBy(index, th.getAttribute("aria-sort") !== "ascending");
        writeUrl();
      });
    }
  });
  body.addEventListener("click", function (event) {
    if (event.target.closest("a")) return;  // a link in a cell goes where it points
    var row = event.target.closest("tr");
    if (row) open(row);
  });
  body.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr");
    if (!row) return;
    if ((event.key === "Enter" || event.key === " ") && event.target === row) {
      event.preventDefault();
      open(row);
      return;
    }
    var visible = visibleRows();
    var at = visible.indexOf(row);
    var next = { ArrowDown: visible[at + 1], ArrowUp: visible[at - 1], Home: visible[0], End: visible[visible.length - 1] }[event.key];
    if (next === undefined && ["ArrowDown", "ArrowUp", "Home", "End"].indexOf(event.key) === -1) return;
    event.preventDefault();
    if (next) setCurrent(next, true);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    // An unfolded facet list folds first, giving its summary the focus; then the panel closes.
    var unfolded = dropdowns.filter(function (d) { return d.open; });
    if (unfolded.length) {
      event.preventDefault();
      unfolded.forEach(function (d) { d.open = false; });
      unfolded[0].querySelector("summary").focus();
    } else if (panel && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  // The skip link puts the keyboard on the table's current row.
  Array.prototype.forEach.call(document.querySelectorAll("a.skip-link"), function (skip) {
    skip.addEventListener("click", function (event) {
      if (!current) return;
      event.preventDefault();
      setCurrent(current, true);
    });
  });
  if (panel) {
    panel.querySelector(".close").addEventListener("click", close);
    // Each flag in the head leads to its part of the panel and puts the keyboard on the part's first link.
    [[".caveat-flag", ".row-caveats"], [".differs-flag", ".corroboration-part"]].forEach(function (pair) {
      var flag = panel.querySelector(pair[0]);
      if (!flag) return;
      flag.addEventListener("click", function () {
        var part = panel.querySelector(pair[1]);
        var box = panel.querySelector(".panel-body");
        box.scrollTop += part.getBoundingClientRect().top - box.getBoundingClientRect().top;
        var first = part.querySelector("a");
        if (first) first.focus({ preventScroll: true });
      });
    });
    panel.querySelector(".copy-link").addEventListener("click", function () {
      if (selected) offer(link(selected), "Link to this row", "Link copied.");
    });
    panel.querySelector(".cite-row").addEventListener("click", function () {
      if (selected) offer(citation(selected), "Citation of this row (plain text)", "Citation copied.");
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-download]"), function (button) {
    button.addEventListener("click", function () { download(button.getAttribute("data-download")); });
  });
  if (filter) filter.addEventListener("input", function () { applyFilters(true); });
  ranges.forEach(function (input) { input.addEventListener("input", function () { applyFilters(true); }); });
  facets.forEach(function (facet) {
    facet.addEventListener("change", function () { applyFilters(true); });
  });
  dropdowns.forEach(function (facet) {
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
    dropdowns.forEach(function (facet) { if (facet.open && !facet.contains(event.target)) facet.open = false; });
  });
  // Every row and every link in a row leaves the Tab order; setCurrent gives one row (and its links) back.
  rows.forEach(function (row) { row.tabIndex = -1; });
  Array.prototype.forEach.call(body.querySelectorAll("a"), function (a) { a.tabIndex = -1; });
  readUrl();
  applyFilters(false);
  // The folding counts rows the filter hides: with a filter in the address the first 24 rows might show none of
  // the rows it keeps, so every row is laid out at once (a filtered view is shorter anyway).
  if (rows.some(function (row) { return row.hidden; })) document.documentElement.classList.remove("rows-folded");
  openFromHash();
  if (window.performance && performance.mark) performance.mark("aidstats-table-interactive");
  // Rows past the 24th were left out of layout while the page loaded (table.html's script and site.css), so the
  // wired table was drawn sooner; they are laid out after that first frame, and "aidstats-table-drawn" is marked
  // a frame later, once they are drawn too: charts.js fetches plotly.js to draw only then.
  afterFrame(function () {
    document.documentElement.classList.remove("rows-folded");
    afterFrame(function () { if (window.performance && performance.mark) performance.mark("aidstats-table-drawn"); });
  });
  // The browser scrolls to the element a fragment names by itself, perhaps after this script: once the page
  // has loaded, the open row is put back in view above the panel.
  window.addEventListener("load", function () {
    if (selected && panel && !panel.hidden) setTimeout(function () { keepInView(selected); }, 0);
  });
})();
