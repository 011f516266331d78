// Enhancements only: the page works without this file. Copy buttons, the countdown to expiryAt (from the
// server's remaining seconds, so a wrong phone clock does not matter), live status by polling a small JSON
// endpoint, and the visible seconds before the status page sends the shopper back.
(function () {
  'use strict';
  var doc = document;

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }
  function clock(s) {
    s = Math.max(0, Math.floor(s));
    return pad(Math.floor(s / 3600)) + ':' + pad(Math.floor((s % 3600) / 60)) + ':' + pad(s % 60);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    doc.body.appendChild(area);
    area.select();
    try {
      doc.execCommand('copy');
    } finally {
      doc.body.removeChild(area);
    }
    return Promise.resolve();
  }

  Array.prototype.forEach.call(doc.querySelectorAll('[data-copy]'), function (button) {
    var label = button.textContent;
    var name = button.getAttribute('aria-label');
    button.hidden = false;
    button.addEventListener('click', function () {
      copyText(button.getAttribute('data-copy')).then(function () {
        button.textContent = button.getAttribute('data-done');
        button.setAttribute('aria-label', button.getAttribute('data-done'));
        setTimeout(function () {
          button.textContent = label;
          button.setAttribute('aria-label', name);
        }, 2000);
      });
    });
  });

  var main = doc.querySelector('[data-poll]');
  var checking = false;
  function check() {
    if (!main || checking) return;
    checking = true;
    fetch(main.getAttribute('data-poll'), {
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (state) {
        checking = false;
        if (!state) return;
        if (state.status !== main.getAttribute('data-status')) {
          location.replace(location.href);
          return;
        }
        if (typeof state.remainingSeconds === 'number') resync(state.remainingSeconds);
      })
      .catch(function () {
        checking = false;
      });
  }

  var countdown = doc.querySelector('[data-remaining]');
  var deadline = countdown ? Date.now() + Number(countdown.getAttribute('data-remaining')) * 1000 : 0;
  function resync(seconds) {
    deadline = Date.now() + seconds * 1000;
  }
  function tick() {
    if (!countdown) return;
    var left = (deadline - Date.now()) / 1000;
    countdown.textContent = clock(left);
    if (left <= 0) check();
  }
  if (countdown) {
    tick();
    setInterval(tick, 1000);
  }
  if (main) setInterval(check, 1500);
  doc.addEventListener('visibilitychange', function () {
    if (!doc.hidden) check();
  });

  var back = doc.querySelector('[data-redirect-in]');
  if (back) {
    var until = Date.now() + Number(back.getAttribute('data-redirect-in')) * 1000;
    var template = back.getAttribute('data-template');
    setInterval(function () {
      var left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      back.textContent = template.replace('{seconds}', String(left));
      // The Refresh header normally navigates first; this is the fallback.
      var link = doc.querySelector('[data-testid="return"]');
      if (left === 0 && link && Date.now() - until > 1500) location.assign(link.href);
    }, 500);
  }
})();
