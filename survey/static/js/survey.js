// Progressive enhancement only: every page works without this file.
// A module script runs only in browsers GOV.UK Frontend supports, so it can mark the body itself
// (GOV.UK's template does this with an inline script, which our Content-Security-Policy forbids).
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
