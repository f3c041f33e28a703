// The questionnaire builder's overview: drag a section (by its heading) or a question (by its row) to move it.
// Progressive enhancement only. Without JavaScript the Up and Down buttons post the move form; with it they
// still do, and focus comes back to the button pressed with the new place announced. A drop posts the same
// form with `section-to:ID` and `position`, or `question-to:ID`, `section` and `position`: the server applies
// one rule and the page shows the engine's checks again. Keyboard users move with the buttons (no drag).

const REMEMBER = 'builder-reorder-moved'

const form = document.querySelector('form[data-reorder]')
if (form) enhance(form)

function enhance (form) {
  form.classList.add('app-reorder--enhanced')
  const first = form.querySelector('[data-section]')
  if (first) {
    const hint = document.createElement('p')
    hint.className = 'govuk-hint'
    hint.textContent = 'You can also drag a section by its heading, or a question by its row, to a new place.'
    form.insertBefore(hint, first)
  }
  for (const handle of form.querySelectorAll('[data-section] > [data-drag-handle]')) handle.draggable = true
  for (const row of form.querySelectorAll('[data-question]')) row.draggable = true

  let dragging = null
  let marked = null

  const unmark = () => {
    if (marked) marked.classList.remove('app-reorder__drop--before', 'app-reorder__drop--after')
    marked = null
  }

  const element = (event) => (event.target instanceof Element ? event.target : event.target.parentElement)

  const after = (event, target) => {
    const box = target.getBoundingClientRect()
    return event.clientY > box.top + box.height / 2
  }

  // Where a drop would go: a row or section (before or after it), or the end of a section for a question.
  const target = (event) => {
    const at = dragging && element(event)
    if (!at) return null
    if (dragging.kind === 'question') {
      const row = at.closest('[data-question]')
      if (row) return row === dragging.element ? null : { element: row, after: after(event, row) }
      const section = at.closest('[data-section]')
      return section ? { element: section, after: true, end: true } : null
    }
    const section = at.closest('[data-section]')
    return section && section !== dragging.element ? { element: section, after: after(event, section) } : null
  }

  form.addEventListener('dragstart', (event) => {
    const at = element(event)
    const row = at && at.closest('[data-question]')
    const handle = at && at.closest('[data-drag-handle]')
    if (row) dragging = { kind: 'question', id: row.dataset.question, element: row }
    else if (handle) {
      const section = handle.closest('[data-section]')
      dragging = { kind: 'section', id: section.dataset.section, element: section }
    } else return
    event.dataTransfer.effectAllowed = 'move'
    event.dataTransfer.setData('text/plain', dragging.id)
    dragging.element.classList.add('app-reorder--dragging')
  })

  form.addEventListener('dragover', (event) => {
    const place = target(event)
    unmark()
    if (!place) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'move'
    marked = place.element
    marked.classList.add(place.after ? 'app-reorder__drop--after' : 'app-reorder__drop--before')
  })

  form.addEventListener('dragleave', (event) => {
    if (marked && !marked.contains(event.relatedTarget)) unmark()
  })

  form.addEventListener('dragend', () => {
    unmark()
    if (dragging) dragging.element.classList.remove('app-reorder--dragging')
    dragging = null
  })

  form.addEventListener('drop', (event) => {
    const place = target(event)
    unmark()
    if (!place) return
    event.preventDefault()
    if (dragging.kind === 'section') {
      const all = ids(form, '[data-section]', 'section')
      const others = all.filter((id) => id !== dragging.id)
      const index = others.indexOf(place.element.dataset.section) + (place.after ? 1 : 0)
      if (index !== all.indexOf(dragging.id)) post(form, `section-to:${dragging.id}`, { position: index + 1 })
      return
    }
    const section = place.end ? place.element : place.element.closest('[data-section]')
    const all = ids(section, '[data-question]', 'question')
    const others = all.filter((id) => id !== dragging.id)
    const index = place.end ? others.length : others.indexOf(place.element.dataset.question) + (place.after ? 1 : 0)
    if (!(all.includes(dragging.id) && index === all.indexOf(dragging.id))) {
      post(form, `question-to:${dragging.id}`, { section: section.dataset.section, position: index + 1 })
    }
  })

  form.addEventListener('submit', (event) => {
    const value = event.submitter && event.submitter.value
    if (value && /^(section|question)-(up|down):/.test(value)) remember(form, value)
  })

  restore(form)
}

function ids (scope, selector, key) {
  return [...scope.querySelectorAll(selector)].map((el) => el.dataset[key])
}

function post (form, action, fields) {
  for (const [name, value] of Object.entries({ action, ...fields })) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = String(value)
    form.appendChild(input)
  }
  remember(form, action)
  form.submit()
}

function moved (form, kind, id) {
  const selector = kind === 'section' ? `[data-section="${CSS.escape(id)}"]` : `[data-question="${CSS.escape(id)}"]`
  return form.querySelector(selector)
}

// Where a section or question is, in words: "section 2" or "question 1 of section 2".
function place (form, kind, id) {
  const el = moved(form, kind, id)
  if (!el) return ''
  const sections = [...form.querySelectorAll('[data-section]')]
  if (kind === 'section') return `section ${sections.indexOf(el) + 1}`
  const section = el.closest('[data-section]')
  const rows = [...section.querySelectorAll('[data-question]')]
  return `question ${rows.indexOf(el) + 1} of section ${sections.indexOf(section) + 1}`
}

function remember (form, action) {
  const [verb, id] = [action.slice(0, action.indexOf(':')), action.slice(action.indexOf(':') + 1)]
  const kind = verb.startsWith('section') ? 'section' : 'question'
  const note = { path: window.location.pathname, action, kind, id, before: place(form, kind, id) }
  try {
    window.sessionStorage.setItem(REMEMBER, JSON.stringify(note))
  } catch (error) {} // storage refused (private mode): the move still happens, focus is not restored
}

// After a move: focus the button pressed (or the moved thing's first button) and say where it is now.
function restore (form) {
  let note = null
  try {
    note = JSON.parse(window.sessionStorage.getItem(REMEMBER) || 'null')
    window.sessionStorage.removeItem(REMEMBER)
  } catch (error) {
    return
  }
  if (!note || note.path !== window.location.pathname) return
  const el = moved(form, note.kind, note.id)
  if (!el) return
  const scope = note.kind === 'section' ? el.querySelector('.govuk-button-group') || el : el
  const button = form.querySelector(`button[value="${CSS.escape(note.action)}"]`) || scope.querySelector('button, a')
  const now = place(form, note.kind, note.id)
  const status = form.querySelector('[data-reorder-status]')
  const settle = () => {
    if (button) button.focus({ preventScroll: false })
    if (status && now !== note.before) status.textContent = `Moved ${el.dataset.name}: it is now ${now}.`
  }
  // After the load: going to the page's #fragment (where the server sends us) moves focus to the page itself.
  if (document.readyState === 'complete') window.setTimeout(settle, 0)
  else window.addEventListener('load', () => window.setTimeout(settle, 0), { once: true })
}
