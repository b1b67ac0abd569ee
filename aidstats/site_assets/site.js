// aidstats static site: sort and filter tables, and show where a value comes from.
// No framework and no network: everything it needs is in the page.
(function () {
  "use strict";
  var table = document.querySelector("table.data");
  var provenanceData = document.getElementById("provenance");
  var provenance = provenanceData ? JSON.parse(provenanceData.textContent) : null;
  var panel = document.getElementById("provenance-panel");

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    if (numeric) {
      var number = parseFloat(raw);
      return isNaN(number) ? -Infinity : number;
    }
    return (raw !== null ? raw : cell.textContent).toLowerCase();
  }

  function sortBy(header, index) {
    var body = table.tBodies[0];
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      if (x < y) return ascending ? -1 : 1;
      if (x > y) return ascending ? 1 : -1;
      return Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function filterRows(text) {
    var needle = text.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
      row.hidden = !match;
      if (match) shown += 1;
    });
    var count = document.getElementById("row-count");
    if (count) count.textContent = shown + " of " + table.tBodies[0].rows.length + " rows shown";
  }

  function showSource(row) {
    if (!provenance || !panel) return;
    var quote = row.getAttribute("data-quote");
    if (!quote) return;
    Array.prototype.forEach.call(table.querySelectorAll("tr.selected"), function (r) { r.classList.remove("selected"); });
    row.classList.add("selected");
    var passage = provenance.passages[row.getAttribute("data-passage")] || "";
    var source = provenance.sources[row.getAttribute("data-source")] || {};
    var at = passage.indexOf(quote);
    var text = panel.querySelector(".passage");
    text.textContent = "";
    if (at === -1) {
      text.textContent = passage;
    } else {
      text.appendChild(document.createTextNode(passage.slice(0, at)));
      var mark = document.createElement("mark");
      mark.textContent = quote;
      text.appendChild(mark);
      text.appendChild(document.createTextNode(passage.slice(at + quote.length)));
    }
    panel.querySelector(".quote").textContent = quote;
    panel.querySelector(".footnote").textContent = source.footnote ? "Footnote " + source.footnote : "The paper itself";
    panel.querySelector(".citation").textContent = source.citation || "";
    panel.querySelector(".location").textContent = source.location || "";
    panel.hidden = false;
    panel.focus();
    if (mark) mark.scrollIntoView({ block: "nearest" });
  }

  if (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = th.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(th, index); });
    });
    table.tBodies[0].addEventListener("click", function (event) {
      var row = event.target.closest("tr");
      if (row) showSource(row);
    });
    table.tBodies[0].addEventListener("keydown", function (event) {
      var row = event.target.closest("tr");
      if (row && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        showSource(row);
      }
    });
    var filter = document.getElementById("filter");
    if (filter) filter.addEventListener("input", function () { filterRows(filter.value); });
    filterRows("");
  }
})();
