// Tiny DOM builder. Every text goes through text nodes / textContent, never innerHTML: agents' output, names and
// error messages are untrusted. No inline handlers either (the page runs under CSP `default-src 'self'`).

/**
 * h('a', {href: '#/', class: 'x', data: {terminalId: 'ab'}, on: {click: fn}}, 'text', child, [more])
 * Attributes whose value is null, undefined or false are left out; true gives an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    } else if (key === 'data') {
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[k] = String(v);
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') {
      el[key] = value; // properties, so they also work after the user edited the field
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends strings (as text), nodes and (nested) arrays of them; skips null/undefined/false. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Runs a re-render while keeping keyboard focus: the focused element's data-focus-key (if any) is looked up again
 * in the new DOM. Views re-render whole lists on events; without this, a keyboard user would lose their place.
 */
export function keepingFocus(root, render) {
  const active = document.activeElement;
  const key = active && root.contains(active) ? active.dataset.focusKey : undefined;
  render();
  if (key) {
    const again = root.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again) again.focus({preventScroll: true});
  }
}
