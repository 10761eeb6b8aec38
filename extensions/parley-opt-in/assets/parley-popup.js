/* Parley sign-up popup (app embed): opens after a delay or on exit intent, at most every N days, never for a
   device that already subscribed; a modal dialog with a focus trap, Escape and a close button, focus restored. */
(function () {
  "use strict";
  if (window.ParleyPopup) return;
  var SUBSCRIBED = "parley:subscribed";
  var LAST_SHOWN = "parley:popup:lastShown";
  var FOCUSABLE =
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function read(key) {
    try {
      return localStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function write(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch (e) {
      /* storage may be blocked */
    }
  }

  function init() {
    var root = document.querySelector("[data-parley-popup]");
    if (!root) return;
    var dialog = root.querySelector('[role="dialog"]');
    var teaser = document.querySelector("[data-parley-teaser]");
    var settings = root.dataset;
    var returnTo = null;
    var disabled = false;

    if (read(SUBSCRIBED) || /\/(checkouts?|cart)(\/|$)/.test(location.pathname)) return;
    if (teaser) teaser.hidden = false;

    function visible(node) {
      return node.getClientRects().length > 0;
    }

    function onKeydown(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        var items = Array.prototype.filter.call(dialog.querySelectorAll(FOCUSABLE), visible);
        if (!items.length) return;
        var first = items[0];
        var last = items[items.length - 1];
        if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
          event.preventDefault();
          first.focus();
        }
      }
    }

    function open(opener) {
      if (disabled || !root.hidden || read(SUBSCRIBED)) return;
      returnTo = opener || document.activeElement;
      root.hidden = false;
      document.documentElement.classList.add("parley-popup-open");
      document.addEventListener("keydown", onKeydown, true);
      write(LAST_SHOWN, String(Date.now()));
      var field = dialog.querySelector('input[type="tel"]');
      (field && visible(field) ? field : dialog.querySelector(FOCUSABLE)).focus();
    }

    function close() {
      if (root.hidden) return;
      root.hidden = true;
      document.documentElement.classList.remove("parley-popup-open");
      document.removeEventListener("keydown", onKeydown, true);
      var back = returnTo && returnTo !== document.body && document.contains(returnTo) ? returnTo : teaser;
      if (back && !back.hidden) back.focus();
    }

    root.querySelectorAll("[data-parley-close]").forEach(function (button) {
      button.addEventListener("click", close);
    });
    root.addEventListener("parley:subscribed", function () {
      if (teaser) teaser.hidden = true;
    });
    root.addEventListener("parley:disabled", function () {
      disabled = true;
      if (teaser) teaser.hidden = true;
      close();
    });
    if (teaser) {
      teaser.addEventListener("click", function () {
        open(teaser);
      });
    }

    var days = Number(settings.frequencyDays) || 7;
    var last = Number(read(LAST_SHOWN)) || 0;
    if (Date.now() - last >= days * 86400000) {
      var timer = setTimeout(
        function () {
          open();
        },
        (Number(settings.delaySeconds) || 0) * 1000,
      );
      if (settings.exitIntent === "true") {
        document.addEventListener("mouseout", function onLeave(event) {
          if (event.relatedTarget || event.clientY > 0) return;
          document.removeEventListener("mouseout", onLeave);
          clearTimeout(timer);
          open();
        });
      }
    }

    window.ParleyPopup = { open: open, close: close };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
