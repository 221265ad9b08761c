// The policy editor: an error summary link that names a line puts the caret on that
// line of the document. Without this script the link still moves focus to the field.
"use strict";
(function () {
  var area = document.getElementById("document");
  if (!area) return;
  function toLine(line) {
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    var end = start + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(start, end);
    var height = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 3) * height);
  }
  document.querySelectorAll("a[data-line]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      toLine(parseInt(link.getAttribute("data-line"), 10));
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
