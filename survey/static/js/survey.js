// Progressive enhancement only: every page works without this file.
// A module script runs only in browsers GOV.UK Frontend supports, so it can mark the body itself
// (GOV.UK's template does this with an inline script, which our Content-Security-Policy forbids).
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// Pages waiting for a background job (data-reload-after="seconds") check again by themselves; without
// JavaScript their "Check now" link does it (a meta refresh would fail WCAG 2.2.1 in axe). A page whose form
// someone has started to fill in (the coding page, while its estimate is worked out) is not reloaded: that
// would lose what they ticked.
const waiting = document.querySelector('[data-reload-after]')
const seconds = waiting ? Number(waiting.getAttribute('data-reload-after')) : 0
let edited = false
const onEdit = () => { edited = true }
document.addEventListener('input', onEdit)
document.addEventListener('change', onEdit)
if (seconds > 0) {
  window.setTimeout(() => { if (!edited) window.location.reload() }, seconds * 1000)
}
