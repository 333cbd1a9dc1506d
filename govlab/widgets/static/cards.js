// govlab's card list: one widget for a whole page of results.
// Every piece of text is set with textContent; the only HTML is the card's
// `summary_html`, which arrives already sanitised by govlab.render.

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function starsText(stars) {
  const full = Math.round(stars);
  return "\u2605".repeat(full) + "\u2606".repeat(5 - full);
}

function linkFor(model, id) {
  const param = model.get("link_param");
  if (!param) return "#";
  const url = new URL(window.location.href);
  url.searchParams.set(param, id);
  return url.pathname + url.search;
}

function openCard(model, id) {
  model.set("selected", id);
  model.save_changes();
  const param = model.get("link_param");
  if (param) {
    const url = new URL(window.location.href);
    url.searchParams.set(param, id);
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
}

function card(model, item) {
  const li = make("li", "govlab-card");
  li.dataset.id = item.id;
  if (item.id === model.get("selected")) li.classList.add("govlab-card--selected");
  const article = make("article");
  const heading = make("h3", "govlab-card__title");
  const link = make("a", "govlab-card__link", item.title);
  link.href = linkFor(model, item.id);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openCard(model, item.id);
  });
  heading.appendChild(link);
  article.appendChild(heading);
  if (item.meta && item.meta.length) {
    article.appendChild(make("p", "govlab-card__meta", item.meta.join(" \u00b7 ")));
  }
  if (item.summary_html) {
    const summary = make("div", "govlab-card__summary");
    summary.innerHTML = item.summary_html; // sanitised by govlab.render
    article.appendChild(summary);
  }
  const foot = make("div", "govlab-card__foot");
  if (item.stars !== null && item.stars !== undefined) {
    const stars = make("span", "govlab-stars");
    const shown = make("span", "govlab-stars__glyphs", starsText(item.stars));
    shown.setAttribute("aria-hidden", "true");
    stars.appendChild(shown);
    const ratings = item.ratings || 0;
    stars.appendChild(
      make("span", "govlab-stars__text",
        ` ${item.stars.toFixed(1)} (${ratings} rating${ratings === 1 ? "" : "s"})`)
    );
    foot.appendChild(stars);
  } else if (item.unrated) {
    foot.appendChild(make("span", "govlab-stars__text", item.unrated));
  }
  for (const chip of item.chips || []) {
    foot.appendChild(make("span", "govlab-chip", chip));
  }
  if (foot.childNodes.length) article.appendChild(foot);
  li.appendChild(article);
  return li;
}

function pager(model) {
  const pages = model.get("pages");
  const page = model.get("page");
  const nav = make("nav", "govlab-pager");
  nav.setAttribute("aria-label", `${model.get("label")}: pages`);
  if (pages <= 1) return nav;
  const previous = make("button", "govlab-button", "Previous page");
  previous.type = "button";
  previous.disabled = page <= 1;
  previous.addEventListener("click", () => {
    model.set("page", page - 1);
    model.save_changes();
  });
  const next = make("button", "govlab-button", "Next page");
  next.type = "button";
  next.disabled = page >= pages;
  next.addEventListener("click", () => {
    model.set("page", page + 1);
    model.save_changes();
  });
  nav.append(previous, make("span", "govlab-pager__text", `Page ${page} of ${pages}`), next);
  return nav;
}

function render({ model, el }) {
  const root = make("section", "govlab-cards");
  const heading = make("h2", "govlab-cards__heading");
  const status = make("p", "govlab-cards__total");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const list = make("ul", "govlab-cards__list");
  const bottom = make("div");
  root.append(heading, status, list, bottom);
  el.appendChild(root);

  function draw() {
    root.setAttribute("aria-label", model.get("label"));
    heading.textContent = model.get("heading");
    heading.hidden = !model.get("heading");
    const cards = model.get("cards");
    const total = model.get("total");
    status.textContent = cards.length ? model.get("summary") : model.get("empty");
    list.replaceChildren(...cards.map((item) => card(model, item)));
    bottom.replaceChildren(pager(model));
    root.dataset.total = String(total);
  }

  // a deep link (?practice=ID) opens that practice, whoever preheated the kernel
  const param = model.get("link_param");
  if (param) {
    const wanted = new URL(window.location.href).searchParams.get(param);
    if (wanted && wanted !== model.get("selected")) {
      model.set("selected", wanted);
      model.save_changes();
    }
  }
  function forget() {
    // back to the results: the address no longer names a practice
    if (param && !model.get("selected")) {
      const url = new URL(window.location.href);
      if (url.searchParams.has(param)) {
        url.searchParams.delete(param);
        window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
    }
  }
  model.on("change:selected", forget);
  const events = ["cards", "total", "page", "pages", "selected", "empty", "summary", "label", "heading"];
  for (const name of events) model.on(`change:${name}`, draw);
  draw();
  return () => {
    for (const name of events) model.off(`change:${name}`, draw);
    model.off("change:selected", forget);
  };
}

export default { render };
