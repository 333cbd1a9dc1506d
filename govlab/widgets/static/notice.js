// govlab's message line: a live region that says what happened (errors in plain words).
function render({ model, el }) {
  const box = document.createElement("div");
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  el.appendChild(box);
  function draw() {
    const text = model.get("text");
    box.className = `govlab-notice govlab-notice--${model.get("kind")}`;
    box.textContent = text;
  }
  model.on("change:text", draw);
  model.on("change:kind", draw);
  draw();
  // the page is showing the component now: a preheated kernel rendered it minutes ago,
  // so the component reads the library again
  model.send({ event: "shown" });
  return () => {
    model.off("change:text", draw);
    model.off("change:kind", draw);
  };
}

export default { render };
