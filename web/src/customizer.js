// The customizer panel: one control per parameter the core found in the source's customizer
// comments (name, default, type, min/max/step, options, group, description). Groups become
// collapsible sections; sliders report every movement (`input`), so the viewer can re-render
// live — the client's "latest wins" keeps only the newest request alive.

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.appendChild(c);
  return e;
}

function stepOf(p) {
  if (typeof p.step === 'number' && p.step > 0) return p.step;
  // OpenSCAD's customizer: integers step by 1, decimals by their last decimal place
  const d = typeof p.default === 'number' ? String(p.default) : '';
  const dot = d.indexOf('.');
  return dot < 0 ? 1 : Math.pow(10, -(d.length - dot - 1));
}

function numberControl(p, value, onChange) {
  const wrap = el('div', { class: 'facet-param-input' });
  const hasRange = typeof p.min === 'number' && typeof p.max === 'number';
  const step = stepOf(p);
  const box = el('input', { type: 'number', step: String(step) });
  box.value = String(value);
  box.dataset.param = p.name;
  if (hasRange) {
    const slider = el('input', { type: 'range', min: String(p.min), max: String(p.max), step: String(step) });
    slider.value = String(value);
    slider.dataset.param = p.name;
    slider.addEventListener('input', () => {
      box.value = slider.value;
      onChange(Number(slider.value));
    });
    box.addEventListener('change', () => {
      slider.value = box.value;
      onChange(Number(box.value));
    });
    wrap.appendChild(slider);
  } else {
    box.addEventListener('change', () => onChange(Number(box.value)));
  }
  wrap.appendChild(box);
  return wrap;
}

function optionsControl(p, value, onChange) {
  const sel = el('select');
  sel.dataset.param = p.name;
  p.options.forEach((o, i) => {
    const opt = el('option', { value: String(i), text: o.label != null ? String(o.label) : String(o.value) });
    if (JSON.stringify(o.value) === JSON.stringify(value)) opt.selected = true;
    sel.appendChild(opt);
  });
  sel.addEventListener('change', () => onChange(p.options[Number(sel.value)].value));
  return sel;
}

function vectorControl(p, value, onChange) {
  const wrap = el('div', { class: 'facet-param-vector' });
  const cur = Array.isArray(value) ? value.slice() : [];
  cur.forEach((v, i) => {
    const box = el('input', { type: 'number', step: String(stepOf({ default: v, step: p.step })) });
    box.value = String(v);
    box.dataset.param = `${p.name}[${i}]`;
    if (typeof p.min === 'number') box.min = String(p.min);
    if (typeof p.max === 'number') box.max = String(p.max);
    box.addEventListener('change', () => {
      cur[i] = Number(box.value);
      onChange(cur.slice());
    });
    wrap.appendChild(box);
  });
  return wrap;
}

export class Customizer {
  constructor(container, onChange) {
    this.container = container;
    this.onChange = onChange;
    this.params = [];
    this.values = {};
    this.signature = '';
  }

  /** Rebuilds the panel when the parameter set changed; keeps values the user already set. */
  setParameters(params, overrides = {}) {
    const signature = JSON.stringify(params.map((p) => [p.name, p.type, p.min, p.max, p.step, p.options, p.group]));
    const keep = signature === this.signature ? this.values : {};
    this.params = params;
    this.values = {};
    for (const p of params) {
      if (Object.prototype.hasOwnProperty.call(overrides, p.name)) this.values[p.name] = overrides[p.name];
      else if (Object.prototype.hasOwnProperty.call(keep, p.name)) this.values[p.name] = keep[p.name];
    }
    if (signature === this.signature && this.container.childElementCount) return;
    this.signature = signature;
    this.render();
  }

  /** Values that differ from the source's defaults (what is sent as overrides). */
  overrides() {
    return { ...this.values };
  }

  render() {
    this.container.replaceChildren();
    if (!this.params.length) {
      this.container.hidden = true;
      return;
    }
    this.container.hidden = false;
    const groups = new Map();
    for (const p of this.params) {
      if (p.group === 'Hidden') continue; // the core leaves these out already; never show them
      const g = p.group || 'Parameters';
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(p);
    }
    for (const [name, list] of groups) {
      const section = el('details', { class: 'facet-group', open: '' }, el('summary', { text: name }));
      for (const p of list) section.appendChild(this.row(p));
      this.container.appendChild(section);
    }
  }

  row(p) {
    const value = Object.prototype.hasOwnProperty.call(this.values, p.name) ? this.values[p.name] : p.default;
    const set = (v) => {
      this.values[p.name] = v;
      this.onChange(this.overrides(), p.name);
    };
    let control;
    if (Array.isArray(p.options) && p.options.length) control = optionsControl(p, value, set);
    else if (p.type === 'boolean') {
      control = el('input', { type: 'checkbox' });
      control.checked = !!value;
      control.dataset.param = p.name;
      control.addEventListener('change', () => set(control.checked));
    } else if (p.type === 'number') control = numberControl(p, value, set);
    else if (p.type === 'vector') control = vectorControl(p, value, set);
    else {
      control = el('input', { type: 'text' });
      control.value = value == null ? '' : String(value);
      control.dataset.param = p.name;
      if (typeof p.max === 'number') control.maxLength = p.max;
      control.addEventListener('change', () => set(control.value));
    }
    const label = el('label', { class: 'facet-param-name', text: p.name.replace(/_/g, ' ') });
    const row = el('div', { class: 'facet-param' }, label, control);
    if (p.description) {
      row.title = p.description;
      row.appendChild(el('div', { class: 'facet-param-hint', text: p.description }));
    }
    return row;
  }
}
