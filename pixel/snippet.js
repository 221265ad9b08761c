/* Candor site snippet (served at /t.js): one beacon per page view, tied to the click
   that brought the visitor (cnd_vid). Does nothing at all when the browser asks not to
   be tracked (Global Privacy Control, Do Not Track). ES5, no globals, never throws. */
(function () {
  "use strict";
  try {
    var collector = __CANDOR_COLLECTOR__;
    var win = window;
    var nav = win.navigator || {};
    if (nav.globalPrivacyControl === true || nav.doNotTrack === "1" ||
        win.doNotTrack === "1" || nav.msDoNotTrack === "1") {
      return;
    }
    var loc = win.location;
    var VID = /^[A-Za-z0-9_-]{8,64}$/;
    var VID_PARAM = /([?&])cnd_vid=[^&#]*(&|(?=#)|$)/;

    var script = document.currentScript;
    if (!script) {
      var scripts = document.getElementsByTagName("script");
      for (var i = scripts.length - 1; i >= 0; i--) {
        if (/\/t\.js(\?|#|$)/.test(scripts[i].src || "")) { script = scripts[i]; break; }
      }
    }
    var site = (script && script.getAttribute && script.getAttribute("data-site")) || loc.hostname;

    // The URL without cnd_vid; other parameters, their order and the hash are kept.
    function withoutVid(url) {
      for (var n = 0; n < 8 && VID_PARAM.test(url); n++) {
        url = url.replace(VID_PARAM, function (whole, before, after) {
          return after === "&" ? before : "";
        });
      }
      return url.replace(/\?(#|$)/, "$1");
    }

    function readCookie() {
      var jar;
      try { jar = document.cookie || ""; } catch (e) { return null; }  // sandboxed frames throw
      var parts = jar.split(";");
      for (var i = 0; i < parts.length; i++) {
        var pair = parts[i].replace(/^\s+/, "").split("=");
        if (pair[0] === "cnd_vid" && VID.test(pair[1] || "")) { return pair[1]; }
      }
      return null;
    }

    // Keep the landing URL's visitor id in a first-party cookie, then take it out of the
    // address bar so that it is not bookmarked, shared or sent on as a referrer.
    function keepVisitorId() {
      // The last cnd_vid is the one Candor's redirect appended; an earlier one came with
      // the destination itself (the collector replaces those, older links may not have).
      var found = /[?&]cnd_vid=([^&#]*)/g, match, last = null;
      while ((match = found.exec(loc.search || "")) !== null) { last = match[1]; }
      if (last === null) { return; }
      var vid = null;
      try { vid = decodeURIComponent(last); } catch (e) { vid = null; }
      if (vid !== null && VID.test(vid)) {
        try {
          document.cookie = "cnd_vid=" + vid + "; path=/; max-age=7776000; SameSite=Lax" +
            (loc.protocol === "https:" ? "; Secure" : "");
        } catch (e) { /* cookies blocked: the visit is still counted, unattributed */ }
      }
      var h = win.history;
      if (h && h.replaceState) {
        try {
          h.replaceState(h.state, "", withoutVid(loc.pathname + loc.search + loc.hash));
        } catch (e) { /* some frames forbid it */ }
      }
    }

    function send() {
      var body = JSON.stringify({
        site: site,
        url: withoutVid(loc.href),
        title: document.title || null,
        referrer: document.referrer || null,
        vid: readCookie()
      });
      var sent = false;
      // text/plain is a CORS "simple" content type: no preflight to the collector.
      if (nav.sendBeacon && typeof Blob !== "undefined") {
        try { sent = nav.sendBeacon(collector + "/v", new Blob([body], { type: "text/plain" })); } catch (e) { sent = false; }
      }
      if (!sent && win.fetch) {
        try {
          win.fetch(collector + "/v", {
            method: "POST", body: body, keepalive: true, mode: "no-cors", credentials: "omit",
            headers: { "Content-Type": "text/plain" }
          })["catch"](function () {});
        } catch (e) { /* nothing else to try */ }
      }
    }

    keepVisitorId();
    send();

    // Single-page apps change the URL without loading a page: count each new URL once.
    var lastUrl = loc.href;
    function onNavigate() {
      try {
        if (loc.href !== lastUrl) { lastUrl = loc.href; send(); }
      } catch (e) { /* never break the page */ }
    }
    var hist = win.history;
    if (hist && hist.pushState) {
      var push = hist.pushState;
      hist.pushState = function () {
        var result = push.apply(this, arguments);
        onNavigate();
        return result;
      };
    }
    if (win.addEventListener) { win.addEventListener("popstate", onNavigate); }
  } catch (e) {
    /* never break the host page */
  }
})();
