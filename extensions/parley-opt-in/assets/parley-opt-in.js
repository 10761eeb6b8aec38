/* Parley text sign-up form: loads the disclosure from the app proxy, validates, posts JSON, announces the result.
   Server text is only ever set with textContent. Without this script the form still posts and the server answers. */
(function () {
  "use strict";
  if (window.ParleyOptIn) return;
  var PROXY = "/apps/parley";
  var configs = {};

  function loadConfig(form) {
    var query = new URLSearchParams();
    if (form.dataset.termsUrl) query.set("terms", form.dataset.termsUrl);
    if (form.dataset.privacyUrl) query.set("privacy", form.dataset.privacyUrl);
    var key = query.toString();
    if (!configs[key]) {
      configs[key] = fetch(PROXY + "/config" + (key ? "?" + key : ""), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        if (!response.ok) throw new Error("config " + response.status);
        return response.json();
      });
    }
    return configs[key];
  }

  function el(form, selector) {
    return form.querySelector(selector);
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function showDisclosure(form, disclosure) {
    var target = el(form, "[data-parley-disclosure]");
    target.textContent = disclosure.body + " ";
    (disclosure.links || []).forEach(function (link, index) {
      var href = safeUrl(link.url);
      if (!href) return;
      if (index > 0) target.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = link.label;
      target.appendChild(a);
    });
    form.elements.disclosureVersion.value = disclosure.version;
    var box = form.elements.consent;
    box.disabled = false;
    el(form, "[data-parley-consent]").hidden = false;
  }

  function messages(form) {
    try {
      return JSON.parse(el(form, "[data-parley-messages]").textContent);
    } catch (e) {
      return {};
    }
  }

  function setStatus(form, text, kind) {
    var status = el(form, "[data-parley-status]");
    status.textContent = text || "";
    status.className = "parley-form__status" + (kind ? " parley-form__status--" + kind : "");
    return status;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-error-for]").forEach(function (p) {
      p.hidden = true;
      p.textContent = "";
    });
    ["phone", "consent"].forEach(function (name) {
      form.elements[name].removeAttribute("aria-invalid");
    });
  }

  // Field-level errors, announced through aria-describedby; focus goes to the first field in error.
  function showErrors(form, errors) {
    var first = null;
    ["phone", "consent"].forEach(function (name) {
      if (!errors[name]) return;
      var p = el(form, '[data-error-for="' + name + '"]');
      p.textContent = errors[name];
      p.hidden = false;
      form.elements[name].setAttribute("aria-invalid", "true");
      first = first || form.elements[name];
    });
    if (first) first.focus();
    return Boolean(first);
  }

  function succeed(form, message) {
    try {
      localStorage.setItem("parley:subscribed", String(Date.now()));
    } catch (e) {
      /* storage may be blocked */
    }
    el(form, "[data-parley-fields]").hidden = true;
    setStatus(form, message, "success").focus();
    form.dispatchEvent(new CustomEvent("parley:subscribed", { bubbles: true }));
  }

  function submit(form, event) {
    event.preventDefault();
    var text = messages(form);
    var button = el(form, "[data-parley-submit]");
    if (button.disabled) return;
    clearErrors(form);
    setStatus(form, "");
    var errors = {};
    if (!form.elements.phone.value.trim()) errors.phone = text.phone;
    if (!form.elements.consent.checked) errors.consent = text.consent;
    if (showErrors(form, errors)) return;

    var body = {
      phone: form.elements.phone.value,
      country: form.elements.country.value,
      consent: true,
      disclosureVersion: form.elements.disclosureVersion.value,
      pageUrl: location.pathname + location.search,
      source: form.elements.source.value,
      termsUrl: form.elements.termsUrl.value || undefined,
      privacyUrl: form.elements.privacyUrl.value || undefined,
    };
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    setStatus(form, text.sending);
    fetch(PROXY + "/subscribe", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    })
      .then(function (response) {
        return response.json().then(function (result) {
          return { status: response.status, result: result };
        });
      })
      .then(function (answer) {
        var result = answer.result || {};
        if (answer.status === 200 && result.ok) return succeed(form, result.message);
        setStatus(form, "");
        if (answer.status === 409 && result.disclosure) {
          // The terms changed since the page loaded: show the new text and ask again.
          showDisclosure(form, result.disclosure);
          form.elements.consent.checked = false;
          showErrors(form, { consent: result.message });
        } else if (!(answer.status === 400 && result.fieldErrors && showErrors(form, result.fieldErrors))) {
          setStatus(form, result.message || text.generic, "error");
        }
      })
      .catch(function () {
        setStatus(form, text.generic, "error");
      })
      .then(function () {
        button.disabled = false;
        form.removeAttribute("aria-busy");
      });
  }

  function mount(form) {
    if (form.dataset.parleyMounted) return;
    form.dataset.parleyMounted = "1";
    form.noValidate = true; // the script validates, with messages tied to each field
    form.addEventListener("submit", function (event) {
      submit(form, event);
    });
    loadConfig(form)
      .then(function (config) {
        if (!config.enabled) {
          var root = form.closest("[data-parley-root]") || form;
          root.hidden = true;
          form.dispatchEvent(new CustomEvent("parley:disabled", { bubbles: true }));
          return;
        }
        showDisclosure(form, config.disclosure);
      })
      .catch(function () {
        setStatus(form, messages(form).generic, "error");
      });
  }

  function mountAll() {
    document.querySelectorAll("[data-parley-form]").forEach(mount);
  }

  window.ParleyOptIn = { mount: mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
