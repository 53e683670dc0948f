// Passkeys need JavaScript (WebAuthn has no other way in): the buttons that
// start one are hidden in the HTML and shown here, so that without JavaScript
// no button does nothing. allauth's webauthn.js reports a refusal (the person
// cancelled, no passkey on this device) as an 'allauth.error' event; it is said
// here in words, in the page's status line.
(function () {
  for (const button of document.querySelectorAll('[data-needs-js]')) {
    button.hidden = false
  }
  document.addEventListener('allauth.error', function (event) {
    const status = document.querySelector('[data-passkey-status]')
    if (!status) return
    event.preventDefault()
    status.textContent = status.dataset.message
  })
})()
