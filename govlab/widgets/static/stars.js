// govlab's star rating: five buttons in a labelled group, and the average beside them.
function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function render({ model, el }) {
  const root = make("div", "govlab-rating");
  const group = make("div", "govlab-rating__stars");
  group.setAttribute("role", "group");
  const label = make("span", "govlab-rating__label");
  label.id = `govlab-rating-${Math.random().toString(36).slice(2)}`;
  group.setAttribute("aria-labelledby", label.id);
  const buttons = [];
  for (let stars = 1; stars <= 5; stars += 1) {
    const button = make("button", "govlab-rating__star", "\u2605");
    button.type = "button";
    button.dataset.stars = String(stars);
    button.setAttribute("aria-label", `${stars} star${stars === 1 ? "" : "s"}`);
    button.addEventListener("click", () => {
      model.set("value", stars);
      model.save_changes();
    });
    buttons.push(button);
    group.appendChild(button);
  }
  const summary = make("span", "govlab-rating__summary");
  root.append(label, group, summary);
  el.appendChild(root);

  function draw() {
    const value = model.get("value");
    const disabled = model.get("disabled");
    label.textContent = model.get("label");
    buttons.forEach((button, index) => {
      button.classList.toggle("govlab-rating__star--on", index < value);
      button.setAttribute("aria-pressed", String(index + 1 === value));
      button.disabled = disabled;
    });
    const count = model.get("count");
    const average = model.get("average");
    summary.textContent =
      count && average !== null
        ? `Average ${average.toFixed(1)} from ${count} rating${count === 1 ? "" : "s"}`
        : "No ratings yet";
  }
  const events = ["value", "disabled", "label", "count", "average"];
  for (const name of events) model.on(`change:${name}`, draw);
  draw();
  return () => {
    for (const name of events) model.off(`change:${name}`, draw);
  };
}

export default { render };
