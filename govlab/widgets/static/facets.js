// govlab's facet list: a fieldset of checkboxes per facet, each value with its count.
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

let serial = 0;

function render({ model, el }) {
  const root = make("div", "govlab-facets");
  el.appendChild(root);
  const expanded = new Set();

  function toggle(name, value, on) {
    const selected = { ...model.get("selected") };
    const values = new Set(selected[name] || []);
    if (on) values.add(value);
    else values.delete(value);
    if (values.size) selected[name] = [...values];
    else delete selected[name];
    model.set("selected", selected);
    model.save_changes();
  }

  function facet(group) {
    const chosen = new Set(model.get("selected")[group.name] || []);
    const fieldset = make("fieldset", "govlab-facet");
    fieldset.dataset.facet = group.name;
    fieldset.appendChild(make("legend", "govlab-facet__legend", group.label));
    const limit = model.get("shown");
    const open = expanded.has(group.name);
    const values = open ? group.values : group.values.slice(0, limit);
    // a chosen value stays in view even when it is past the first few
    for (const item of group.values.slice(values.length)) {
      if (chosen.has(item.value)) values.push(item);
    }
    const list = make("ul", "govlab-facet__values");
    for (const item of values) {
      const li = make("li");
      const id = `govlab-facet-${(serial += 1)}`;
      const box = make("input");
      box.type = "checkbox";
      box.id = id;
      box.checked = chosen.has(item.value);
      box.dataset.value = item.value;
      box.addEventListener("change", () => toggle(group.name, item.value, box.checked));
      const label = make("label", "govlab-facet__label");
      label.htmlFor = id;
      label.append(make("span", "govlab-facet__name", item.label));
      if (model.get("counts")) label.append(make("span", "govlab-facet__count", item.count));
      li.append(box, label);
      list.appendChild(li);
    }
    fieldset.appendChild(list);
    if (group.values.length > limit) {
      const more = make(
        "button",
        "govlab-link-button",
        open ? `Show fewer` : `Show all ${group.values.length}`
      );
      more.type = "button";
      more.setAttribute("aria-expanded", String(open));
      more.addEventListener("click", () => {
        if (open) expanded.delete(group.name);
        else expanded.add(group.name);
        draw();
      });
      fieldset.appendChild(more);
    }
    return fieldset;
  }

  function draw() {
    const groups = model.get("facets").filter((group) => group.values.length);
    const parts = [make("h2", "govlab-facets__title", model.get("label"))];
    if (Object.keys(model.get("selected")).length) {
      const clear = make("button", "govlab-button govlab-button--quiet", model.get("clear_label"));
      clear.type = "button";
      clear.addEventListener("click", () => {
        model.set("selected", {});
        model.save_changes();
      });
      parts.push(clear);
    }
    root.replaceChildren(...parts, ...groups.map(facet));
  }
  const events = ["facets", "selected", "label", "shown", "counts", "clear_label"];
  for (const name of events) model.on(`change:${name}`, draw);
  draw();
  return () => {
    for (const name of events) model.off(`change:${name}`, draw);
  };
}

export default { render };
