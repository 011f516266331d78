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
  // Once the shopper submits a form (a simulation, a method), its answer is the next page: a poll that saw
  // the change first must not reload over it (the merchant's return URL would be loaded twice).
  var leaving = false;
  doc.addEventListener('submit', function () {
    leaving = true;
  });
  function check() {
    if (!main || checking || leaving) return;
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
        if (!state || leaving) return;
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

  // The card form: group the number in fours, name the network, and check what the server checks (Luhn,
  // network, expiry, CVC, name) before the post, so mistakes show at once. The server checks again.
  var cardForm = doc.querySelector('[data-card-form]');
  if (cardForm) {
    var number = cardForm.querySelector('[name="cardNumber"]');
    var expiry = cardForm.querySelector('[name="expiry"]');
    var cvc = cardForm.querySelector('[name="cvc"]');
    var holder = cardForm.querySelector('[name="holderName"]');
    var brandNote = cardForm.querySelector('[data-card-brand]');
    var digitsOf = function (value) {
      return value.replace(/[\s-]/g, '');
    };
    var luhn = function (digits) {
      var sum = 0;
      for (var i = 0; i < digits.length; i++) {
        var d = Number(digits.charAt(digits.length - 1 - i));
        if (i % 2 === 1) {
          d *= 2;
          if (d > 9) d -= 9;
        }
        sum += d;
      }
      return sum % 10 === 0;
    };
    var network = function (digits) {
      var len = digits.length;
      var two = Number(digits.slice(0, 2));
      var four = Number(digits.slice(0, 4));
      if (/^4/.test(digits) && (len === 13 || len === 16 || len === 19)) return 'VISA';
      if (len === 16 && ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))) return 'MASTERCARD';
      if (len >= 16 && len <= 19 && four >= 3528 && four <= 3589) return 'JCB';
      return '';
    };
    var expiryError = function (value) {
      var m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > 12) return 'expiry';
      var year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
      var now = new Date();
      return Date.UTC(year, Number(m[1]), 1) <= now.getTime() ? 'expired' : '';
    };
    var show = function (input, key) {
      var box = cardForm.querySelector('[data-error-for="' + input.name + '"]');
      if (key) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      if (box) box.textContent = key ? cardForm.getAttribute('data-err-' + key) : '';
      return !key;
    };
    var checkNumber = function () {
      var digits = digitsOf(number.value);
      if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) return show(number, 'number');
      return show(number, network(digits) ? '' : 'network');
    };
    number.addEventListener('input', function () {
      var digits = digitsOf(number.value).replace(/\D/g, '').slice(0, 19);
      number.value = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
      if (brandNote) brandNote.textContent = network(digits);
    });
    expiry.addEventListener('input', function () {
      if (/^\d{2}$/.test(expiry.value)) expiry.value += '/';
    });
    cardForm.addEventListener('submit', function (event) {
      var ok = [
        checkNumber(),
        show(expiry, expiryError(expiry.value)),
        show(cvc, /^\d{3}$/.test(cvc.value.trim()) ? '' : 'cvc'),
        show(holder, holder.value.trim().length >= 2 ? '' : 'holder'),
      ];
      var first = [number, expiry, cvc, holder][ok.indexOf(false)];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    });
  }

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
