// Live parts of a page: an element with data-live="URL" is replaced every second by the HTML
// fragment that URL returns (same origin, server-rendered and escaped); the refresh stops once
// the new fragment no longer carries data-live (e.g. a rotation run reached DONE).
(function () {
  'use strict';
  function follow(element) {
    var url = element.getAttribute('data-live');
    setTimeout(function () {
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement('template');
          template.innerHTML = html.trim();
          var next = template.content.firstElementChild;
          if (!next) { return; }
          element.replaceWith(next);
          if (next.hasAttribute('data-live')) { follow(next); }
        })
        .catch(function () { setTimeout(function () { follow(element); }, 2000); });
    }, 1000);
  }
  // A button with data-copy="ID" copies that field's text (e.g. the setup SQL); without clipboard
  // access the text stays selected, ready for Ctrl-C.
  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.id + '-status');
    if (!field) { return; }
    field.focus();
    field.select();
    var done = function (text) { if (status) { status.textContent = text; } };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { done('Copied.'); },
        function () { done('Selected: press Ctrl-C to copy.'); });
    } else {
      done('Selected: press Ctrl-C to copy.');
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-live]').forEach(follow);
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () { copy(button); });
    });
  });
}());
