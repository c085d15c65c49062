// Passkey (WebAuthn) registration and sign-in. Loaded as a static file: the CSP allows no inline script.
(function () {
  "use strict";

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrf(box) {
    var input = box.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(box, url, body, extraHeaders) {
    var headers = {"X-CSRFToken": csrf(box), "Content-Type": "application/json"};
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers, body: body || "{}"})
      .then(function (r) { return r.json().then(function (data) { if (!r.ok) { throw new Error(data.error || r.status); } return data; }); });
  }

  function showError(box, err) {
    var el = box.querySelector("[data-passkey-error]");
    if (el) { el.hidden = false; }
    box.setAttribute("data-passkey-failed", String(err && err.message || err));
  }

  function register(box) {
    var nameInput = box.querySelector("#passkey-name");
    post(box, box.dataset.optionsUrl).then(function (data) {
      var o = JSON.parse(data.publicKey);
      o.challenge = fromB64url(o.challenge);
      o.user.id = fromB64url(o.user.id);
      (o.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
      return navigator.credentials.create({publicKey: o});
    }).then(function (cred) {
      var body = {
        id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
        response: {
          clientDataJSON: toB64url(cred.response.clientDataJSON),
          attestationObject: toB64url(cred.response.attestationObject),
          transports: cred.response.getTransports ? cred.response.getTransports() : []
        },
        clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
      };
      var name = nameInput ? nameInput.value.replace(/[^\x20-\x7e]/g, "").slice(0, 100) : "";
      return post(box, box.dataset.finishUrl, JSON.stringify(body), {"X-Passkey-Name": name});
    }).then(function (data) { window.location.assign(data.redirect); })
      .catch(function (err) { showError(box, err); });
  }

  function login(box) {
    post(box, box.dataset.optionsUrl).then(function (data) {
      var o = JSON.parse(data.publicKey);
      o.challenge = fromB64url(o.challenge);
      (o.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
      return navigator.credentials.get({publicKey: o});
    }).then(function (cred) {
      var body = {
        id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
        response: {
          clientDataJSON: toB64url(cred.response.clientDataJSON),
          authenticatorData: toB64url(cred.response.authenticatorData),
          signature: toB64url(cred.response.signature),
          userHandle: cred.response.userHandle ? toB64url(cred.response.userHandle) : null
        },
        clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
      };
      return post(box, box.dataset.finishUrl, JSON.stringify(body));
    }).then(function (data) { window.location.assign(data.redirect); })
      .catch(function (err) { showError(box, err); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var reg = document.querySelector("[data-passkey-register]");
    if (reg) { reg.querySelector("#passkey-register").addEventListener("click", function () { register(reg); }); }
    var log = document.querySelector("[data-passkey-login]");
    if (log) { log.querySelector("#passkey-login").addEventListener("click", function () { login(log); }); }
  });
}());
