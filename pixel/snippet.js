/* Candor site snippet: one beacon per page view, tied to the click that brought the
   visitor (cnd_vid). Does nothing when the browser asks not to be tracked. */
(function () {
  "use strict";
  try {
    var collector = __CANDOR_COLLECTOR__;
    var nav = window.navigator || {};
    if (nav.globalPrivacyControl === true || nav.doNotTrack === "1" || window.doNotTrack === "1") {
      return;
    }
    var script = document.currentScript;
    if (!script) {
      var scripts = document.getElementsByTagName("script");
      for (var i = scripts.length - 1; i >= 0; i--) {
        if (/\/t\.js(\?|$)/.test(scripts[i].src || "")) { script = scripts[i]; break; }
      }
    }
    var site = (script && script.getAttribute("data-site")) || window.location.hostname;
    var VID = /^[A-Za-z0-9_-]{8,64}$/;

    function readCookie() {
      var parts = (document.cookie || "").split(";");
      for (var i = 0; i < parts.length; i++) {
        var pair = parts[i].replace(/^\s+/, "").split("=");
        if (pair[0] === "cnd_vid" && VID.test(pair[1] || "")) { return pair[1]; }
      }
      return null;
    }

    function keepVisitorId() {
      var match = /[?&]cnd_vid=([^&#]*)/.exec(window.location.search);
      if (!match) { return; }
      var vid = decodeURIComponent(match[1]);
      if (VID.test(vid)) {
        document.cookie = "cnd_vid=" + vid + "; path=/; max-age=7776000; SameSite=Lax" +
          (window.location.protocol === "https:" ? "; Secure" : "");
      }
      if (window.history && window.history.replaceState) {
        var search = window.location.search.replace(/([?&])cnd_vid=[^&#]*&?/, "$1").replace(/[?&]$/, "");
        window.history.replaceState(window.history.state, "",
          window.location.pathname + search + window.location.hash);
      }
    }

    function send() {
      var body = JSON.stringify({
        site: site,
        url: window.location.href.replace(/([?&])cnd_vid=[^&#]*&?/, "$1").replace(/[?&](#|$)/, "$1"),
        title: document.title || null,
        referrer: document.referrer || null,
        vid: readCookie()
      });
      var sent = false;
      if (nav.sendBeacon) {
        try { sent = nav.sendBeacon(collector + "/v", new Blob([body], { type: "text/plain" })); } catch (e) { sent = false; }
      }
      if (!sent && window.fetch) {
        window.fetch(collector + "/v", {
          method: "POST", body: body, keepalive: true, mode: "no-cors", credentials: "omit",
          headers: { "Content-Type": "text/plain" }
        })["catch"](function () {});
      }
    }

    keepVisitorId();
    send();

    var lastUrl = window.location.href;
    function onNavigate() {
      if (window.location.href !== lastUrl) { lastUrl = window.location.href; send(); }
    }
    if (window.history && window.history.pushState) {
      var push = window.history.pushState;
      window.history.pushState = function () {
        var result = push.apply(this, arguments);
        try { onNavigate(); } catch (e) { /* never break the page */ }
        return result;
      };
    }
    if (window.addEventListener) { window.addEventListener("popstate", onNavigate); }
  } catch (e) {
    /* never break the host page */
  }
})();
