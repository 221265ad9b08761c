// Candor's live lint: checks the text of "Check what you will say" as the person types,
// and highlights each finding with its reason and an honest rewrite. Without this file
// the form's Check button does the same on the server.
(function () {
  "use strict";
  var form = document.getElementById("lint-form");
  var box = document.getElementById("say");
  var output = document.getElementById("lint-output");
  if (!form || !box || !output) { return; }
  var url = form.getAttribute("data-lint-url");
  var tokenField = form.querySelector('input[name="csrf_token"]');
  var token = tokenField ? tokenField.value : "";
  var timer = null;
  var sent = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // The server counts characters as Python does (code points); JavaScript strings count
  // UTF-16 units, so the text is cut as an array of code points.
  function show(text, findings) {
    output.textContent = "";
    var status = el("p", findings.length ? "" : "lint-ok");
    status.id = "lint-status";
    if (!text.trim()) {
      status.className = "muted";
      status.textContent = "";
    } else if (findings.length) {
      status.textContent = findings.length + (findings.length === 1 ? " thing" : " things") + " to reconsider.";
    } else {
      status.textContent = "Nothing to reconsider: no trap question or surveillance reveal found.";
    }
    output.appendChild(status);
    if (!findings.length) { return; }
    var chars = Array.from(text);
    var mirror = el("div", "lint-mirror");
    mirror.id = "lint-mirror";
    var cursor = 0;
    findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
      if (f.start < cursor) { return; }
      mirror.appendChild(document.createTextNode(chars.slice(cursor, f.start).join("")));
      var mark = el("mark", "finding finding-" + f.kind, chars.slice(f.start, f.end).join(""));
      mark.title = f.why;
      mirror.appendChild(mark);
      cursor = f.end;
    });
    mirror.appendChild(document.createTextNode(chars.slice(cursor).join("")));
    output.appendChild(mirror);
    var list = el("ol", "findings");
    list.id = "lint-findings";
    findings.forEach(function (f) {
      var item = el("li");
      item.appendChild(el("strong", "", "\u201c" + f.excerpt + "\u201d"));
      item.appendChild(document.createTextNode(
        " \u2014 " + (f.kind === "trap" ? "trap question" : "surveillance reveal") + ". " + f.why + " "));
      item.appendChild(el("br"));
      item.appendChild(el("span", "suggestion", "Try instead: " + f.suggestion));
      list.appendChild(item);
    });
    output.appendChild(list);
  }

  function check() {
    var text = box.value;
    var mine = ++sent;
    if (!text.trim()) { show("", []); return; }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ text: text })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (result) {
      if (mine === sent) { show(text, result.findings || []); }
    }).catch(function () {
      if (mine !== sent) { return; }
      output.textContent = "";
      var status = el("p", "muted", "The live check is unavailable; use the Check button.");
      status.id = "lint-status";
      output.appendChild(status);
    });
  }

  box.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 300);
  });
})();
