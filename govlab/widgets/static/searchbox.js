// govlab's search box: searches as you type, once the typing pauses (debounced).
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "govlab-search";
  root.setAttribute("role", "search");
  const id = `govlab-search-${Math.random().toString(36).slice(2)}`;
  const label = document.createElement("label");
  label.className = "govlab-search__label";
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "search";
  input.id = id;
  input.className = "govlab-search__input";
  input.autocomplete = "off";
  input.spellcheck = false;
  root.append(label, input);
  el.appendChild(root);

  let timer = null;
  function send() {
    clearTimeout(timer);
    timer = null;
    if (model.get("value") !== input.value) {
      model.set("value", input.value);
      model.save_changes();
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, model.get("debounce_ms"));
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") send();
  });

  function draw() {
    label.textContent = model.get("label");
    input.placeholder = model.get("placeholder");
    if (document.activeElement !== input && input.value !== model.get("value")) {
      input.value = model.get("value");
    }
  }
  model.on("change:value", draw);
  model.on("change:label", draw);
  model.on("change:placeholder", draw);
  draw();
  return () => {
    clearTimeout(timer);
    model.off("change:value", draw);
    model.off("change:label", draw);
    model.off("change:placeholder", draw);
  };
}

export default { render };
