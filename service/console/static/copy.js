// Candor's "Copy" buttons (the HTML of an email, a sign-in link, an API key): buttons with
// data-copy="<id>" copy that field's text to the clipboard. They stay hidden without JavaScript (the field itself can be selected).
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  function say(text) { if (status) { status.textContent = text; } }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = field.value !== undefined ? field.value : field.textContent;
      var done = function () { say("Copied to the clipboard."); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {
          field.select();
          say("Press Ctrl+C (or Cmd+C) to copy the selected text.");
        });
      } else {
        field.select();
        say(document.execCommand && document.execCommand("copy") ? "Copied to the clipboard." : "Press Ctrl+C (or Cmd+C) to copy the selected text.");
      }
    });
  });
})();
