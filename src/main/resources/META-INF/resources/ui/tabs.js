// Accessible tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys / Home / End move between tabs,
// activation follows focus.

import {h} from './dom.js';

/**
 * items: [{id, label, panel}] (panel: an element). Returns {element, select(id)}.
 * onSelect(id) is called whenever the selection changes.
 */
export function tabs(items, selectedId, onSelect = () => {}, label = 'Views') {
  const buttons = [];
  const list = h('div', {role: 'tablist', 'aria-label': label, class: 'tablist'});
  const panels = [];
  for (const item of items) {
    const tab = h('button', {type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}`,
      class: 'tab', 'data-testid': `tab-${item.id}`}, item.label);
    const panel = h('div', {role: 'tabpanel', id: `panel-${item.id}`, 'aria-labelledby': `tab-${item.id}`,
      class: 'tabpanel', 'data-testid': `panel-${item.id}`}, item.panel);
    tab.addEventListener('click', () => select(item.id, false));
    tab.addEventListener('keydown', (e) => {
      const i = buttons.indexOf(tab);
      const next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1}[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(items[(next + items.length) % items.length].id, true);
    });
    buttons.push(tab);
    panels.push(panel);
    list.append(tab);
  }

  function select(id, focus) {
    items.forEach((item, i) => {
      const on = item.id === id;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
      if (on && focus) buttons[i].focus();
    });
    onSelect(id);
  }

  select(items.some((i) => i.id === selectedId) ? selectedId : items[0].id, false);
  return {element: h('div', {class: 'tabs'}, list, panels), select};
}
